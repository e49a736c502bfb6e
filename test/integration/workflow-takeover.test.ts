import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import { bootDeployWorld, CHANNEL, messages, textOf, until, type DeployWorld } from './deploy-harness.ts';

/**
 * Issue 19 §7: with two instances on one database, a deploy's driver that stops gracefully (Heroku
 * restarting or scaling down the dyno) hands its run over, and the other instance carries it on at
 * once, not after the lease would have run out (30 s here) and not only at some instance's next boot.
 */
describe('a workflow run handed over between instances', () => {
  let w: DeployWorld;
  let peer: BootedApp | undefined;
  afterEach(async () => {
    await peer?.stop();
    await w?.stop();
  });

  it('carries on a deploy on the other instance when its driver stops gracefully mid-build', async () => {
    w = await bootDeployWorld();
    peer = await bootApp({
      github: w.github,
      heroku: w.b.heroku,
      slack: w.b.slack,
      sqlitePath: w.b.sqlitePath,
      configYaml: defaultConfigYaml({ staging: w.health.url, production: w.health.url }).replace(
        /verify_seconds: 5/g,
        'verify_seconds: 1',
      ),
      appOptions: { workflows: { pollMs: 5, lease: { ttlMs: 30_000, sweepMs: 20 } } },
    });
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'manual' };
    await w.b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    const build = await until(() => w.b.heroku.app('autorisen').builds[0], 'the build to start');
    await w.b.app.stop();
    w.b.heroku.completeBuild(build.id, 'succeeded');
    const run = await until(async () => {
      const [r] = await peer!.app.store.workflows.latest({ workflow: 'deploy', env: 'staging', limit: 1 });
      return r && r.state !== 'running' && r.state !== 'waiting' ? r : null;
    }, 'the deploy to end on the other instance');
    expect(run.state).toBe('done');
    expect(w.b.heroku.requestsTo('POST', '/apps/autorisen/builds')).toHaveLength(1);
    const thread = messages(w.b)
      .filter((m) => m.threadTs === run.statusTs)
      .map(textOf)
      .join('\n');
    expect(thread).toContain('another instance picks it up again');
  });
});
