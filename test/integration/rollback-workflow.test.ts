import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import {
  bootDeployWorld,
  buttonsOf,
  CHANNEL,
  finished,
  messages,
  textOf,
  until,
  type DeployWorld,
} from './deploy-harness.ts';

/**
 * A rollback on the workflow engine: once Heroku has rolled back, the environment stays frozen
 * however the run ends; a Retry of its verify turns that freeze back into its own lock (same
 * token, nothing slips in between) and freezes again when it ends.
 */
describe('rollback as a workflow', () => {
  let w: DeployWorld;
  beforeEach(async () => {
    w = await bootDeployWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('an unhealthy rollback stays frozen; Retry after the fix takes the same lock and freezes again', async () => {
    const { b } = w;
    w.health.status = 503;
    await b.driver.command('rollback staging v1', { userId: USERS.cy, channelId: CHANNEL });
    const stopped = await finished(b, 'staging');
    expect(stopped).toMatchObject({ kind: 'rollback', state: 'failed', releaseVersion: 3 });
    const frozen = await b.app.store.locks.get('staging', Date.now());
    expect(frozen).toMatchObject({ kind: 'manual', holderId: USERS.cy, expiresAt: null, token: stopped.lockToken });
    expect(frozen!.reason).toContain('rolled back to v1');
    const root = messages(b).find((m) => m.ts === stopped.statusTs)!;
    expect(textOf(root)).toContain('staging stays locked');
    const retry = buttonsOf(root).find((x) => x.action_id === 'autorisen:wf-retry');
    expect(retry).toBeDefined();

    // While frozen, nothing else gets in.
    const other = await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    const [refused] = await b.slack.waitForResponses(1, other.responseId);
    expect(String(refused!.body.text)).toMatch(/staging is busy|locked/);

    w.health.status = 200;
    await b.driver.click({ actionId: 'autorisen:wf-retry', value: retry!.value, userId: USERS.cy, channelId: CHANNEL });
    const done = await until(async () => {
      const [run] = await b.app.store.workflows.latest({ workflow: 'rollback', env: 'staging', limit: 1 });
      return run?.state === 'done' ? run : null;
    }, 'the retried rollback to finish');
    expect(done.lockToken).toBe(stopped.lockToken);
    const after = await b.app.store.locks.get('staging', Date.now());
    expect(after).toMatchObject({ kind: 'manual', token: stopped.lockToken, expiresAt: null });
    // Heroku was asked to roll back once: the Retry re-ran only the verify step.
    expect(b.heroku.requestsTo('POST', '/apps/autorisen/releases')).toHaveLength(1);
  });
});
