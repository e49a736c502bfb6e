import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import {
  bootDeployWorld,
  CHANNEL,
  type DeployWorld,
  finished,
  recordProductionFlag,
  requestAndApprove,
  until,
} from './deploy-harness.ts';

/** Issue 5 end to end: signed slash commands and clicks against the real app and fake vendors. */
describe('deploys and rollbacks end to end', () => {
  let w: DeployWorld;
  beforeEach(async () => {
    w = await bootDeployWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  it('rolls back to a named version, restoring its flag value, then stays locked until unlock', async () => {
    const { b } = w;
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' }); // v3: flag on
    await recordProductionFlag(b, 2, 'false');
    const res = await b.driver.command('rollback production v2 --dry-run', { userId: USERS.ana, channelId: CHANNEL });
    const dry = await b.slack.answerTo(res);
    const plan = JSON.stringify(dry);
    expect(plan).toContain('from v3 to v2');
    expect(plan).toContain(
      'FEATURE_AUTORISEN after the rollback: \\"false\\" (off), recorded in the bot\'s flag history (seen); now \\"true\\" (on)',
    );
    expect(plan).toContain('*:triangular_flag_on_post: THIS ROLLBACK FLIPS THE ROLLOUT FLAG');
    expect(plan).toContain('FEATURE_AUTORISEN changes from \\"true\\" (on) to \\"false\\" (off)');
    await requestAndApprove(b, 'rollback production v2', USERS.cy, USERS.ana);
    const d = await finished(b, 'production');
    expect(d).toMatchObject({ kind: 'rollback', state: 'succeeded', targetVersion: 2, releaseVersion: 4 });
    expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');

    // Locked: a deploy is refused with who and why, until someone unlocks.
    const refused = await b.driver.command('deploy production --dry-run', { userId: USERS.ana, channelId: CHANNEL });
    const r1 = await b.slack.answerTo(refused);
    expect(String(r1.text)).toMatch(new RegExp(`production is locked by <@${USERS.cy}>.*rolled back to v2`));
    const un = await b.driver.command('unlock production', { userId: USERS.ana, channelId: CHANNEL });
    await b.slack.waitForResponses(1, un.responseId);
    expect(await b.app.store.locks.get('production', Date.now())).toBeNull();
  });

  it('lock refuses deploys with who and why; unlock lets them through', async () => {
    const { b } = w;
    const l = await b.driver.command('lock staging demo to the board at 3pm', { userId: USERS.cy, channelId: CHANNEL });
    await b.slack.waitForResponses(1, l.responseId);
    const res = await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    const [reply] = await b.slack.waitForResponses(1, res.responseId);
    expect(String(reply!.body.text)).toContain(`staging is locked by <@${USERS.cy}>`);
    expect(String(reply!.body.text)).toContain('demo to the board at 3pm');
    expect(b.heroku.requestsTo('POST', '/apps/autorisen/builds')).toHaveLength(0);
    const u = await b.driver.command('unlock staging', { userId: USERS.ben, channelId: CHANNEL });
    await b.slack.waitForResponses(1, u.responseId);
    await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    expect((await finished(b, 'staging')).state).toBe('succeeded');
  });

  it('refuses a second deploy while one runs, naming who holds the environment', async () => {
    const { b } = w;
    b.heroku.buildBehaviour = { ...b.heroku.buildBehaviour, outcome: 'manual' };
    await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    const build = await until(() => b.heroku.app('autorisen').builds[0], 'the build to start');
    const second = await b.driver.command('deploy staging', { userId: USERS.ben, channelId: CHANNEL });
    const [reply] = await b.slack.waitForResponses(1, second.responseId);
    expect(String(reply!.body.text)).toMatch(new RegExp(`staging is busy: a deploy by <@${USERS.ana}>`));
    b.heroku.completeBuild(build.id, 'succeeded');
    expect((await finished(b, 'staging')).state).toBe('succeeded');
    expect(b.heroku.app('autorisen').builds).toHaveLength(1);
  });
});
