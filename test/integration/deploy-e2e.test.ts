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
  type DeployWorld,
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

  it('deploys staging without approval: tarball link → build → health check, in a thread, recorded on GitHub', async () => {
    const { b, shas } = w;
    const res = await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    expect(res.status).toBe(200);
    const d = await finished(b, 'staging');
    expect(d).toMatchObject({
      state: 'succeeded',
      kind: 'deploy',
      sha: shas.head,
      previousVersion: 2,
      releaseVersion: 3,
      backup: false,
    });

    // Heroku built exactly the GitHub tarball link for that commit, and no backup was taken.
    const [build] = b.heroku.requestsTo('POST', '/apps/autorisen/builds');
    const blob = (build!.body as { source_blob: { url: string; version: string } }).source_blob;
    expect(blob.version).toBe(shas.head);
    expect(blob.url).toContain(`/legacy.tar.gz/${shas.head}?token=`);
    expect(b.heroku.requests.filter((r) => r.surface === 'data')).toHaveLength(0);
    expect(w.health.hits).toBeGreaterThan(0);

    // The status message was rewritten with the outcome; progress went to its thread.
    const status = messages(b).find((m) => m.ts === d.statusTs)!;
    expect(textOf(status)).toContain('runs v3');
    // The audit log holds the decision and the changes, not the steps' saved progress (issue 19).
    const audit = await b.app.store.audit.latest({ limit: 100 });
    const steps = audit.filter((r) => r.command === 'deploy' && r.action.startsWith('workflow:'));
    expect(steps.map((r) => `${r.action} ${r.detail}`).sort()).toEqual([
      'workflow:done deploy done',
      'workflow:running build-staging: done',
      'workflow:running github: done',
    ]);
    const thread = messages(b)
      .filter((m) => m.threadTs === d.statusTs)
      .map(textOf)
      .join('\n');
    expect(thread).toContain('Heroku build');
    expect(thread).toContain('staging runs v3');

    // GitHub shows what runs where.
    const [dep] = w.github.deployments(REPO);
    expect(dep).toMatchObject({ sha: shas.head, environment: 'staging', productionEnvironment: false });
    expect(dep!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(await b.app.store.locks.get('staging', Date.now())).toBeNull();
    // The flag history knows the new release and the flag value it runs with.
    expect(await b.app.store.releases.get('autorisen', 3)).toMatchObject({
      source: 'deploy',
      flagKnown: true,
      flagValue: 'false',
      actor: USERS.ana,
    });
  });

  it('shows the production plan on --dry-run: commits, authors, migrations (destructive flagged), backup; changes nothing', async () => {
    const { b, shas } = w;
    const res = await b.driver.command('deploy production --dry-run', { userId: USERS.ana, channelId: CHANNEL });
    const reply = await b.slack.answerTo(res);
    const text = JSON.stringify(reply);
    expect(text).toContain('Dry run');
    expect(text).toContain(shas.head.slice(0, 7));
    expect(text).toContain(`v2, \`${shas.base.slice(0, 7)}\``);
    expect(text).toMatch(/2 new, by alice, bob/);
    expect(text).toContain('0002_add_widgets.py');
    expect(text).toMatch(/0003_drop_legacy\.py is not additive: it drops a column/);
    expect(text).not.toMatch(/0002_add_widgets\.py is not additive/);
    expect(text).toContain('Database backup: yes');
    expect(b.heroku.requestsTo('POST', '/apps/capecraft/builds')).toHaveLength(0);
    expect(w.github.deployments(REPO)).toHaveLength(0);
  });

  it('deploys production after a second operator approves: backup, build, verify, thread under the approval, final message', async () => {
    const { b, shas } = w;
    const approval = await requestAndApprove(b, 'deploy production');
    const d = await finished(b, 'production');
    expect(d).toMatchObject({ state: 'succeeded', releaseVersion: 3, backupName: expect.stringMatching(/^b\d+/) });

    // Backup first (Data API), then the build; the order is the safety.
    const backupAt = b.heroku.requests.findIndex((r) => r.surface === 'data' && r.method === 'POST');
    const buildAt = b.heroku.requests.findIndex((r) => r.method === 'POST' && r.path === '/apps/capecraft/builds');
    expect(backupAt).toBeGreaterThanOrEqual(0);
    expect(buildAt).toBeGreaterThan(backupAt);

    // Progress threads under the approval message, which ends up saying what happened.
    expect(d.statusTs).toBe(approval.ts);
    const thread = messages(b)
      .filter((m) => m.threadTs === approval.ts)
      .map(textOf)
      .join('\n');
    expect(thread).toMatch(/Backup b\d+ finished/);
    expect(thread).toContain('production runs v3');
    await until(
      () => /succeeded|done/i.test(textOf(b.slack.messages.get(`${approval.channel}/${approval.ts}`))),
      'the approval message to show the outcome',
    );
    const rec = (await b.app.store.approvals.get(
      buttonsOf(approval).find((x) => x.action_id === 'autorisen:approve')!.value,
    ))!;
    await until(async () => (await b.app.store.approvals.get(rec.id))?.state === 'succeeded', 'approval succeeded');
    expect(w.github.deployments(REPO)[0]).toMatchObject({
      sha: shas.head,
      environment: 'production',
      productionEnvironment: true,
    });
  });

  it('a failed build offers Roll back; the click asks for approval and rolls back; production stays locked', async () => {
    const { b } = w;
    b.heroku.buildBehaviour = {
      outcome: 'failed',
      afterPolls: 1,
      lines: [
        '-----> Python app detected',
        'ERROR: Could not find a version that satisfies the requirement widgets==9.9',
        ' !     Push rejected, failed to compile Python app.',
      ],
    };
    const approval = await requestAndApprove(b, 'deploy production');
    const failed = await finished(b, 'production');
    expect(failed).toMatchObject({ state: 'failed', releaseVersion: null });
    const thread = messages(b).filter((m) => m.threadTs === approval.ts);
    // The last lines of the build output are in the thread.
    expect(thread.map(textOf).join('\n')).toContain('widgets==9.9');
    expect(thread.map(textOf).join('\n')).toContain('Push rejected');
    const rollbackMsg = thread.find((m) => buttonsOf(m).some((x) => x.action_id === 'autorisen:run'))!;
    // The approval message, rewritten with the outcome, keeps the way back too.
    await until(
      () =>
        buttonsOf(b.slack.messages.get(`${approval.channel}/${approval.ts}`)!).some(
          (x) => x.value === 'rollback production',
        ),
      'Roll back on the approval message',
    );
    expect(buttonsOf(rollbackMsg)).toContainEqual({ action_id: 'autorisen:run', value: 'rollback production' });
    expect(w.github.deployments(REPO)[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
    expect(await b.app.store.locks.get('production', Date.now())).toBeNull();

    // Ben clicks Roll back: production needs approval, so Ana approves.
    const before = new Set(b.slack.messages.keys());
    await b.driver.click({
      actionId: 'autorisen:run',
      value: 'rollback production',
      userId: USERS.ben,
      channelId: CHANNEL,
      messageTs: rollbackMsg.ts,
    });
    const ask = await until(
      () =>
        messages(b).find(
          (m) => !before.has(`${m.channel}/${m.ts}`) && buttonsOf(m).some((x) => x.action_id === 'autorisen:approve'),
        ),
      'rollback approval message',
    );
    expect(textOf(ask)).toContain('from v2 to v1');
    await b.driver.click({
      actionId: 'autorisen:approve',
      value: buttonsOf(ask).find((x) => x.action_id === 'autorisen:approve')!.value,
      userId: USERS.ana,
      channelId: CHANNEL,
      messageTs: ask.ts,
    });
    await until(async () => (await latestChange(b, 'production'))?.kind === 'rollback', 'the rollback to start');
    const rb = await finished(b, 'production');
    expect(rb).toMatchObject({ targetVersion: 1, releaseVersion: 3, requesterId: USERS.ben });
    const [post] = b.heroku.requestsTo('POST', '/apps/capecraft/releases');
    expect(post!.body).toEqual({ release: b.heroku.app('capecraft').releases.find((r) => r.version === 1)!.id });
    const lock = await b.app.store.locks.get('production', Date.now());
    expect(lock).toMatchObject({ kind: 'manual', holderId: USERS.ben, expiresAt: null });
    // The rollback's own lock became the freeze in one step (same token): nothing could slip in between.
    expect(lock!.token).toBe(rb.lockToken);
    expect(lock!.reason).toContain('rolled back to v1');
  });
  it('picks a build up again after a restart and finishes its thread, without building twice', async () => {
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'manual' };
    await w.b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    const running = await until(async () => {
      const d = await latestChange(w.b, 'staging');
      return d?.buildId ? d : null;
    }, 'the build id to be saved');
    w.b = await w.b.restart();
    const b = w.b;
    await until(
      () => messages(b).some((m) => m.threadTs === running.statusTs && textOf(m).includes('restarted')),
      'the restart notice in the thread',
    );
    b.heroku.completeBuild(running.buildId!, 'succeeded');
    const d = await finished(b, 'staging');
    expect(d).toMatchObject({ id: running.id, state: 'succeeded', releaseVersion: 3 });
    expect(b.heroku.app('autorisen').builds).toHaveLength(1);
    expect(w.github.deployments(REPO)).toHaveLength(1);
    expect(w.github.deployments(REPO)[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(textOf(messages(b).find((m) => m.ts === running.statusTs))).toContain('runs v3');
  });

  it('an approved production deploy interrupted by a restart is resumed, and its approval settles with the approver recorded', async () => {
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'manual' };
    const approval = await requestAndApprove(w.b, 'deploy production');
    const approvalId = buttonsOf(approval).find((x) => x.action_id === 'autorisen:approve')!.value;
    const running = await until(async () => {
      const d = await latestChange(w.b, 'production');
      return d?.buildId ? d : null;
    }, 'the build id to be saved');
    expect(running).toMatchObject({ approvalId, approverId: USERS.ben });
    w.b = await w.b.restart();
    const b = w.b;
    // The stopped process did not mark the approval failed: the work is not over.
    expect((await b.app.store.approvals.get(approvalId))?.state).toBe('executing');
    await until(
      () => messages(b).some((m) => m.threadTs === running.statusTs && textOf(m).includes('restarted')),
      'the restart notice in the thread',
    );
    b.heroku.completeBuild(running.buildId!, 'succeeded');
    await finished(b, 'production');
    await until(
      async () => (await b.app.store.approvals.get(approvalId))?.state === 'succeeded',
      'the approval to settle after the resumed deploy',
    );
    expect(b.heroku.app('capecraft').builds).toHaveLength(1);
  });

  it('fails the verify step when the health URL stays unhealthy, and offers Roll back', async () => {
    const { b } = w;
    w.health.status = 503;
    await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    const d = await finished(b, 'staging');
    expect(d).toMatchObject({ state: 'failed', releaseVersion: 3 });
    expect(d.error).toMatch(/did not answer 2xx within 1s \(last: HTTP 503\)/);
    const status = messages(b).find((m) => m.ts === d.statusTs)!;
    expect(buttonsOf(status)).toContainEqual({ action_id: 'autorisen:run', value: 'rollback staging' });
    expect(textOf(status)).toContain('v3 is live but unhealthy');
  });

  it('lists releases with the current one marked', async () => {
    const { b, shas } = w;
    const res = await b.driver.command('releases production 5', { userId: USERS.vic, channelId: CHANNEL });
    const text = String((await b.slack.answerTo(res)).text);
    expect(text).toMatch(
      new RegExp(`→ v2 .* ${shas.base.slice(0, 7)} +Deploy ${shas.base.slice(0, 7)}.*\\(current\\)`),
    );
    expect(text).toContain('v1');
  });

  it('stops before building when the backup fails, and says so', async () => {
    const { b } = w;
    b.heroku.backupBehaviour = { succeeded: false, afterPolls: 1, logs: ['pg_dump: error: connection to server lost'] };
    await requestAndApprove(b, 'deploy production');
    const d = await finished(b, 'production');
    expect(d).toMatchObject({ state: 'failed', buildId: null });
    expect(d.error).toMatch(/backup b\d+ failed.*nothing was deployed/);
    expect(b.heroku.requestsTo('POST', '/apps/capecraft/builds')).toHaveLength(0);
    expect(await b.app.store.locks.get('production', Date.now())).toBeNull();
    expect(w.github.deployments(REPO)[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure']);
  });
});
