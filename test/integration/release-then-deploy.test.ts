import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { finished, requestAndApprove } from './deploy-harness.ts';
import { approveGate, bootReleaseWorld, CHANNEL, releaseIn, REPO, type ReleaseWorld } from './release-harness.ts';

/**
 * Issue 19 item 1, as reported: after a release, production's newest release is "Promote
 * autorisen vN", and the bot must still know which commit production runs, so that main can be
 * redeployed to undo the release.
 */
describe('after a release, production runs the promoted commit', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  /** Release a commit that is not main's head (a branch), through both gates, to done. */
  async function releaseBranch(): Promise<string> {
    w = await bootReleaseWorld();
    const feature = w.github.commit(REPO, {
      message: 'Try the autorisen banner',
      branch: 'banner',
      from: 'main',
      author: { login: 'dora', name: 'Dora' },
      files: { 'web/banner.txt': 'hello' },
    });
    w.github.setChecks(REPO, feature, [{ name: 'test', status: 'completed', conclusion: 'success' }], []);
    await w.b.driver.command('release banner', { userId: USERS.ana, channelId: CHANNEL });
    await approveGate(w.b, USERS.ben);
    const run = await releaseIn(() => w.b, ['done', 'failed', 'faulty']);
    expect(run, `${run.error} at ${run.stepIndex}`).toMatchObject({ state: 'done' });
    expect(w.heroku.current('capecraft')!.description).toBe('Promote autorisen v3');
    return feature;
  }

  /** The answer, in the ack or on response_url (a query answers in the ack when it is ready in time). */
  const ask = async (text: string): Promise<string> => {
    const res = await w.b.driver.command(text, { userId: USERS.ana, channelId: CHANNEL });
    return String((await w.b.slack.answerTo(res)).text);
  };

  it('deploy production main --dry-run reports the promoted commit, and deploying main undoes the release', async () => {
    const feature = await releaseBranch();
    const main = w.shas.head;
    const dry = await ask('deploy production main --dry-run');
    expect(dry).toContain(`Running now: v3, \`${feature.slice(0, 7)}\` Try the autorisen banner`);
    expect(dry).toContain(`${main.slice(0, 7)} is behind ${feature.slice(0, 7)}: deploying it removes 1 commit(s)`);
    expect(dry).not.toContain('already runs');

    await requestAndApprove(w.b, 'deploy production main');
    const deploy = await finished(w.b, 'production');
    expect(deploy, deploy.error ?? '').toMatchObject({ state: 'succeeded', sha: main });
    const [build] = w.heroku.requestsTo('POST', '/apps/capecraft/builds');
    expect((build!.body as { source_blob: { version: string } }).source_blob.version).toBe(main);
    expect(w.heroku.current('capecraft')!.description).toBe(`Deploy ${main.slice(0, 7)}`);
  });

  it('releases production shows the commit of the promotion release and of a config change after it', async () => {
    const feature = await releaseBranch();
    w.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    const list = await ask('releases production');
    expect(list).toMatch(new RegExp(`→ v4 .* ${feature.slice(0, 7)}  Set FEATURE_AUTORISEN config vars`));
    expect(list).toMatch(new RegExp(`v3 .* ${feature.slice(0, 7)}  Promote autorisen v3`));
    expect(list).toMatch(new RegExp(`v2 .* ${w.shas.base.slice(0, 7)}  Deploy ${w.shas.base.slice(0, 7)}`));
    expect(list).not.toContain('-------  Promote');
  });
});
