import { afterEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { USERS, type BootedApp } from '../drivers/boot-app.ts';
import { bootDeployWorld, finished, messages, textOf, until, type DeployWorld } from './deploy-harness.ts';
import { bootReleaseWorld, releaseIn, type ReleaseWorld } from './release-harness.ts';
import { ask, submit } from './break-glass-harness.ts';

/** Break-glass (issue 23 §2) skips only the second person: deploys and releases still back up first. */
const approvalsAsked = (b: BootedApp) =>
  b.slack.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION));

describe('break-glass on workflows', () => {
  let d: DeployWorld | undefined;
  let r: ReleaseWorld | undefined;
  afterEach(async () => {
    await d?.stop();
    await r?.stop();
    d = r = undefined;
  });

  it('deploy production: no approval asked, the backup still taken before the build', async () => {
    d = await bootDeployWorld();
    const { b } = d;
    const { viewId } = await ask(b, 'deploy production --break-glass --reason "hotfix for checkout"');
    expect(viewId).not.toBeNull();
    await submit(b, viewId!, 'production');
    const run = await finished(b, 'production');
    expect(run).toMatchObject({ state: 'succeeded', backupName: expect.stringMatching(/^b\d+/) });
    const backupAt = b.heroku.requests.findIndex((x) => x.surface === 'data' && x.method === 'POST');
    const buildAt = b.heroku.requests.findIndex((x) => x.method === 'POST' && x.path === '/apps/capecraft/builds');
    expect(backupAt).toBeGreaterThanOrEqual(0);
    expect(buildAt).toBeGreaterThan(backupAt);
    expect(approvalsAsked(b)).toHaveLength(0);
    await until(async () => (await b.app.store.breakGlass.openReviews()).length === 1, 'the review to open');
  });

  it('rollback production: runs without approval, and production stays locked afterwards as after any rollback', async () => {
    d = await bootDeployWorld();
    const { b } = d;
    const { viewId } = await ask(b, 'rollback production --break-glass --reason "bad deploy"');
    await submit(b, viewId!, 'production');
    const run = await finished(b, 'production');
    expect(run).toMatchObject({ kind: 'rollback', state: 'succeeded' });
    expect(approvalsAsked(b)).toHaveLength(0);
    expect(await b.app.store.locks.get('production', Date.now())).not.toBeNull();
  });

  it('release: the production gate asks nobody and says why; backup before the promotion', async () => {
    r = await bootReleaseWorld();
    const w = r;
    // Time runs on: nobody is asked, so nothing holds the clock.
    w.clock.hook = async () => undefined;
    const { viewId } = await ask(w.b, 'release --break-glass --reason "security fix"', USERS.ada);
    expect(viewId).not.toBeNull();
    await submit(w.b, viewId!, 'production');
    const run = await releaseIn(() => w.b, ['done', 'failed', 'faulty']);
    expect(run, `${run.error} at ${run.stepIndex}`).toMatchObject({ state: 'done' });
    const backupAt = w.heroku.requests.findIndex((x) => x.surface === 'data' && x.method === 'POST');
    const promoteAt = w.heroku.requests.findIndex((x) => x.path === '/pipeline-promotions');
    expect(backupAt).toBeGreaterThanOrEqual(0);
    expect(promoteAt).toBeGreaterThan(backupAt);
    expect(approvalsAsked(w.b)).toHaveLength(0);
    const thread = messages(w.b)
      .filter((m) => m.threadTs === run.statusTs)
      .map(textOf)
      .join('\n');
    expect(thread).toMatch(/No second person asked: break-glass by <@UADA0005> \(reason: security fix\)/);
  });
});
