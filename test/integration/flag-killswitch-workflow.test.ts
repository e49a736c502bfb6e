import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { until } from './deploy-harness.ts';
import { bootReleaseWorld, CHANNEL, gateMessage, type ReleaseWorld } from './release-harness.ts';

/**
 * Invariant 1 with the one lock mechanism: the engine's locks are the flag's locks, and the kill
 * switch waits for none of them. While a workflow run holds production (a promote waiting at its
 * gate), `flag off production` is applied at once, says what it went past, and the run keeps its lock.
 */
describe('the kill switch and a workflow holding the environment', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it('goes past the engine lock of a run in flight, and leaves that lock with the run', async () => {
    w = await bootReleaseWorld();
    w.heroku.app('capecraft').configVars.FEATURE_AUTORISEN = 'true';
    await w.b.driver.command('promote', { userId: USERS.ana, channelId: CHANNEL });
    await gateMessage(w.b);
    const held = await until(() => w.b.app.store.locks.get('production', w.clock.now()), 'the run to hold production');
    expect(held.kind).toBe('promote');

    const res = await w.b.driver.command('flag off production --reason "5xx spike"', {
      userId: USERS.ben,
      channelId: CHANNEL,
    });
    const [reply] = await w.b.slack.waitForResponses(1, res.responseId);
    const text = String(reply!.body.text);
    expect(text).toContain('turned the rollout flag *off* in production');
    expect(text).toContain(`did not wait for the production lock held by <@${USERS.ana}> (promote:`);
    expect(w.heroku.requestsTo('PATCH', '/apps/capecraft/config-vars')).toHaveLength(1);
    expect((await w.b.app.store.locks.get('production', w.clock.now()))?.token).toBe(held.token);
  });
});
