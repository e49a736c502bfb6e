import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { bootDeployWorld, CHANNEL, finished, until, type DeployWorld } from './deploy-harness.ts';

/**
 * Issue 19 item 3: the bot's own mentions must reach Slack live, text people type stays escaped.
 * A lock keeps who holds it (`holder_id`, rendered as a mention) apart from its reason (plain text,
 * escaped wherever it is shown), so neither a rollback's freeze, a workflow's lock nor a retried
 * run's lock can put an escaped `&lt;@U…&gt;` in front of anyone.
 */
describe("a lock's reason and its holder, as Slack receives them", () => {
  let w: DeployWorld;
  beforeEach(async () => {
    w = await bootDeployWorld();
  });
  afterEach(async () => w.stop());

  /** The answer to `text` as Slack got it (ack or response_url). */
  const answer = async (text: string, userId: string): Promise<string> => {
    const res = await w.b.driver.command(text, { userId, channelId: CHANNEL });
    return String((await w.b.slack.answerTo(res)).text);
  };

  it('a refused deploy quotes the freeze a rollback left with a live mention of who rolled back (as reported)', async () => {
    await answer('rollback staging', USERS.ana);
    expect(await finished(w.b, 'staging')).toMatchObject({ kind: 'rollback', state: 'succeeded' });
    const refused = await answer('deploy staging --dry-run', USERS.ben);
    expect(refused).toContain(`staging is locked by <@${USERS.ana}>`);
    expect(refused).toContain('rolled back to v1. Unlock once the cause is fixed');
    expect(refused).not.toContain('&lt;@');
    expect((await w.b.app.store.locks.get('staging', Date.now()))!.reason).not.toContain('<@');
  });

  it('a change refused while a deploy runs names the deploy and its requester, live', async () => {
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'manual' };
    // Not awaiting its answer: the deploy answers once its build ends, and this one is held open.
    await w.b.driver.command(`deploy staging ${w.shas.additive}`, { userId: USERS.ana, channelId: CHANNEL });
    await until(() => w.b.heroku.requestsTo('POST', '/apps/autorisen/builds').length === 1, 'the build');
    const refused = await answer('lock staging <!here> maintenance', USERS.ben);
    expect(refused).toContain(`staging is busy: a deploy by <@${USERS.ana}> holds the lock`);
    expect(refused).toContain(`(Deploy ${w.shas.additive.slice(0, 7)} to staging)`);
    expect(refused).not.toContain('&lt;@');
  });

  it("a retried run's lock names who retried it, live", async () => {
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'failed' };
    await answer(`deploy staging ${w.shas.additive}`, USERS.ana);
    const failed = await finished(w.b, 'staging');
    expect(failed.state).toBe('failed');
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'manual' };
    await w.b.driver.click({ actionId: 'autorisen:wf-retry', value: failed.id, userId: USERS.ben, channelId: CHANNEL });
    await until(() => w.b.heroku.requestsTo('POST', '/apps/autorisen/builds').length === 2, 'the retried build');
    const refused = await answer('flag on staging', USERS.cy);
    expect(refused).toContain(`<@${USERS.ben}> holds the staging lock (deploy: Deploy`);
    expect(refused).toContain('(retried)');
    expect(refused).not.toContain('&lt;@');
  });

  it('a reason someone typed stays escaped next to the live holder', async () => {
    await answer('lock staging <!here> demo & <b>board</b>', USERS.cy);
    const refused = await answer('deploy staging --dry-run', USERS.ana);
    expect(refused).toContain(`staging is locked by <@${USERS.cy}>`);
    expect(refused).toContain('&lt;!here&gt; demo &amp; &lt;b&gt;board&lt;/b&gt;');
    expect(refused).not.toContain('<!here>');
  });
});
