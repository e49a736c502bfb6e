import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import {
  bootDeployWorld,
  buttonsOf,
  CHANNEL,
  finished,
  latestChange,
  messages,
  REPO,
  requestAndApprove,
  textOf,
  until,
  type DeployView,
  type DeployWorld,
} from './deploy-harness.ts';

/**
 * Issue 5 §9: every GitHub and Heroku failure is a clear message with the next step, and nothing is
 * left half-done: no lock held, the deploy record final, the GitHub deployment (where one was
 * created) ended as `failure` (the work failed) or `error` (an API on the way failed).
 */
describe('deploy errors end to end', () => {
  let w: DeployWorld;
  beforeEach(async () => {
    w = await bootDeployWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  /** The reply to a slash command that failed while planning: nothing may have started. */
  async function refused(text: string): Promise<string> {
    const { b } = w;
    const env = text.split(' ')[1]!;
    const res = await b.driver.command(text, { userId: USERS.ana, channelId: CHANNEL });
    const [reply] = await b.slack.waitForResponses(1, res.responseId);
    expect(await latestChange(b, env)).toBeNull();
    expect(await b.app.store.locks.get(env, Date.now())).toBeNull();
    expect(w.github.deployments(REPO)).toEqual([]);
    return String(reply!.body.text);
  }

  /** A finished, failed run that left nothing behind; returns it with the GitHub statuses it ended on. */
  async function failedCleanly(env: 'staging' | 'production'): Promise<{ d: DeployView; statuses: string[] }> {
    const d = await finished(w.b, env);
    expect(d.state).toBe('failed');
    expect(d.lockToken).toBeNull();
    expect(await w.b.app.store.locks.get(env, Date.now())).toBeNull();
    expect(await w.b.app.store.workflows.listActive()).toEqual([]);
    return { d, statuses: w.github.deployments(REPO)[0]?.statuses.map((s) => s.state) ?? [] };
  }

  /** Start an approved production deploy and hold it in its backup until `release()` is called. */
  async function productionHeldInBackup(): Promise<{ approvalId: string; release: () => void }> {
    const { b } = w;
    b.heroku.backupBehaviour = { ...b.heroku.backupBehaviour, afterPolls: Number.MAX_SAFE_INTEGER };
    const approval = await requestAndApprove(b, 'deploy production');
    const transferId = await until(async () => {
      const [run] = await b.app.store.workflows.latest({ workflow: 'deploy', env: 'production', limit: 1 });
      return run?.scratch.transferId as string | undefined;
    }, 'the backup to start');
    return {
      approvalId: buttonsOf(approval).find((x) => x.action_id === 'autorisen:approve')!.value,
      release: () => b.heroku.finishBackup('capecraft', transferId, true),
    };
  }

  describe('GitHub', () => {
    it('ref not found: names the ref and the repository', async () => {
      expect(await refused('deploy staging no-such-branch')).toMatch(
        /GitHub has no branch, tag or commit "no-such-branch" in capecraft\/capecraft\. Check the name \(and that it is pushed\)/,
      );
    });

    it('token rejected while planning: says to fix GITHUB_TOKEN', async () => {
      w.github.token = 'ghp_rotated_elsewhere';
      expect(await refused('deploy staging')).toMatch(
        /GitHub rejected the token \(Bad credentials\)\. Check GITHUB_TOKEN/,
      );
    });

    it('rate limited while planning: says when it lifts', async () => {
      w.github.rateLimitNext({ status: 403, count: 3 });
      expect(await refused('deploy staging')).toMatch(/rate limit .* resets at \d\d:\d\d UTC .*Try again then/);
    });

    it('5xx while planning: says to try again later', async () => {
      w.github.failNext({ status: 502, count: 5 });
      expect(await refused('deploy staging')).toMatch(
        /GitHub is not answering properly \(502\).*Try again in a few minutes/,
      );
    });

    it('token revoked mid-deploy: stops before building, unlocks, and says the GitHub deployment could not be closed', async () => {
      const { b } = w;
      const held = await productionHeldInBackup();
      w.github.token = 'ghp_rotated_elsewhere';
      held.release();
      const { d, statuses } = await failedCleanly('production');
      expect(d.buildId).toBeNull();
      expect(d.error).toMatch(/GitHub rejected the token.*Check GITHUB_TOKEN/);
      expect(b.heroku.requestsTo('POST', '/apps/capecraft/builds')).toHaveLength(0);
      // GitHub refused the final status too; the thread says so rather than pretending.
      expect(statuses).toEqual(['in_progress']);
      const thread = messages(b)
        .filter((m) => m.threadTs === d.statusTs)
        .map(textOf)
        .join('\n');
      expect(thread).toMatch(
        /GitHub deployment \d+ could not be marked error, so GitHub still shows it in progress: GitHub rejected the token/,
      );
      await until(
        async () => (await b.app.store.approvals.get(held.approvalId))?.state === 'failed',
        'the approval to fail',
      );
    });

    it('rate limited mid-deploy: stops before building; the GitHub deployment ends as error', async () => {
      const held = await productionHeldInBackup();
      w.github.rateLimitNext({ status: 403, count: 1 });
      held.release();
      const { d, statuses } = await failedCleanly('production');
      expect(d.error).toMatch(/rate limit .* resets at \d\d:\d\d UTC/);
      expect(w.b.heroku.requestsTo('POST', '/apps/capecraft/builds')).toHaveLength(0);
      expect(statuses).toEqual(['in_progress', 'error']);
    });
  });

  describe('Heroku', () => {
    it('key rejected (401) while planning: says to fix HEROKU_API_KEY', async () => {
      w.b.heroku.fail({ status: 401, method: 'GET', path: '/apps/autorisen/releases' });
      expect(await refused('deploy staging')).toMatch(
        /Heroku rejected the API key \(401\).*Set HEROKU_API_KEY to a valid key/,
      );
    });

    it('build failed: the output, a Roll back offer, and "fix and deploy again"; GitHub says failure', async () => {
      w.b.heroku.buildBehaviour = {
        outcome: 'failed',
        afterPolls: 1,
        lines: ['ERROR: No matching distribution found for widgets==9.9'],
      };
      await w.b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
      const { d, statuses } = await failedCleanly('staging');
      expect(d.error).toMatch(
        /build .* failed; nothing was released\. Fix the cause shown in the build output .* and deploy again/,
      );
      const thread = messages(w.b).filter((m) => m.threadTs === d.statusTs);
      expect(thread.map(textOf).join('\n')).toContain('widgets==9.9');
      const status = messages(w.b).find((m) => m.ts === d.statusTs)!;
      expect(buttonsOf(status)).toContainEqual({ action_id: 'autorisen:run', value: 'rollback staging' });
      expect(statuses).toEqual(['in_progress', 'failure']);
    });

    it("422 on the build: Heroku's reason; GitHub says error", async () => {
      w.b.heroku.fail({
        status: 422,
        method: 'POST',
        path: '/apps/autorisen/builds',
        message: 'Source blob could not be fetched.',
      });
      await w.b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
      const { d, statuses } = await failedCleanly('staging');
      expect(d.error).toMatch(
        /Heroku refused starting a build on app "autorisen" \(422 invalid_params\): Source blob could not be fetched/,
      );
      expect(statuses).toEqual(['in_progress', 'error']);
    });

    it('429 on the build: nothing was changed, try again later', async () => {
      w.b.heroku.fail({ status: 429, method: 'POST', path: '/apps/autorisen/builds' });
      await w.b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
      const { d, statuses } = await failedCleanly('staging');
      expect(d.error).toMatch(/rate limit is used up .* Nothing was changed; try again in a few minutes/);
      expect(w.b.heroku.app('autorisen').builds).toHaveLength(0);
      expect(statuses).toEqual(['in_progress', 'error']);
      const status = messages(w.b).find((m) => m.ts === d.statusTs)!;
      expect(textOf(status)).toContain('stopped at "Deploy to staging (Heroku build)"');
    });

    it('5xx on the build: says the build may exist and to check releases before deploying again', async () => {
      w.b.heroku.fail({ status: 503, method: 'POST', path: '/apps/autorisen/builds' });
      await w.b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
      const { d, statuses } = await failedCleanly('staging');
      expect(d.error).toMatch(
        /Heroku's API failed \(503\) while starting a build.*may have started the build anyway: check `\/autorisen releases staging`/,
      );
      expect(statuses).toEqual(['in_progress', 'error']);
    });

    it('429 and 5xx while following a build: keeps following it (Heroku builds regardless) and finishes', async () => {
      const { b } = w;
      const poll = /^\/apps\/autorisen\/builds\/[^/]+$/;
      b.heroku.fail({ status: 429, times: 2, method: 'GET', path: poll });
      b.heroku.fail({ status: 503, times: 2, method: 'GET', path: poll });
      await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
      const d = await finished(b, 'staging');
      expect(d).toMatchObject({ state: 'succeeded', releaseVersion: 3 });
      expect(b.heroku.requests.filter((r) => r.method === 'GET' && poll.test(r.path)).length).toBeGreaterThanOrEqual(5);
      expect(b.heroku.app('autorisen').builds).toHaveLength(1);
      expect(w.github.deployments(REPO)[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    });

    it('5xx on the rollback: checks whether it happened, says so, and unlocks (nothing to freeze)', async () => {
      const { b } = w;
      b.heroku.fail({ status: 500, method: 'POST', path: '/apps/autorisen/releases' });
      await b.driver.command('rollback staging', { userId: USERS.ana, channelId: CHANNEL });
      const { d } = await failedCleanly('staging');
      expect(d.kind).toBe('rollback');
      expect(d.error).toMatch(
        /Heroku's API failed \(500\) while rolling back.*The release list shows no rollback release; check `\/autorisen releases staging` and roll back again if needed/,
      );
      expect(b.heroku.app('autorisen').releases.map((r) => r.version)).toEqual([1, 2]);
    });
  });
});
