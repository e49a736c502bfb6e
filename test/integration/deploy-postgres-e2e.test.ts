import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { freshAppSchema, TEST_DATABASE_URL } from '../support/test-databases.ts';
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

/**
 * The same app on PostgreSQL (DATABASE_URL), as production runs it: the approved production deploy
 * and the restart mid-build, so compare-and-set, locks and resume are proven on the real engine too.
 * Each test gets its own schema, selected by the libpq `options=-c search_path=…` URL parameter
 * (pg passes it as a startup parameter), so parallel test files never share tables.
 */
describe('deploys end to end on PostgreSQL', () => {
  let w: DeployWorld;
  let db: Awaited<ReturnType<typeof freshAppSchema>>;
  let schema: string;
  beforeEach(async () => {
    db = await freshAppSchema('deploy_e2e');
    schema = db.schema;
    w = await bootDeployWorld({ databaseUrl: db.url });
  });
  afterEach(async () => {
    await w?.stop();
    await db.drop();
  });

  it('runs on PostgreSQL, in its own schema', async () => {
    expect(w.b.app.store.kind).toBe('postgres');
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'deploys'",
        [schema],
      );
      expect(Number(rows[0]!.n)).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('deploys production after approval: backup, build, verify, thread, final message, lock released', async () => {
    const { b, shas } = w;
    const approval = await requestAndApprove(b, 'deploy production');
    const d = await finished(b, 'production');
    expect(d).toMatchObject({
      state: 'succeeded',
      sha: shas.head,
      releaseVersion: 3,
      backupName: expect.stringMatching(/^b\d+/),
      statusTs: approval.ts,
      approverId: USERS.ben,
    });
    const backupAt = b.heroku.requests.findIndex((r) => r.surface === 'data' && r.method === 'POST');
    const buildAt = b.heroku.requests.findIndex((r) => r.method === 'POST' && r.path === '/apps/capecraft/builds');
    expect(backupAt).toBeGreaterThanOrEqual(0);
    expect(buildAt).toBeGreaterThan(backupAt);
    const thread = messages(b)
      .filter((m) => m.threadTs === approval.ts)
      .map(textOf)
      .join('\n');
    expect(thread).toMatch(/Backup b\d+ finished/);
    expect(thread).toContain('production runs v3');
    const approvalId = buttonsOf(approval).find((x) => x.action_id === 'autorisen:approve')!.value;
    await until(async () => (await b.app.store.approvals.get(approvalId))?.state === 'succeeded', 'approval succeeded');
    expect(await b.app.store.locks.get('production', Date.now())).toBeNull();
    expect(w.github.deployments(REPO)[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(await b.app.store.releases.get('capecraft', 3)).toMatchObject({ source: 'deploy', flagKnown: true });
  });

  it('picks a build up again after a restart and finishes it once', async () => {
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'manual' };
    const approval = await requestAndApprove(w.b, 'deploy production');
    const approvalId = buttonsOf(approval).find((x) => x.action_id === 'autorisen:approve')!.value;
    const running = await until(async () => {
      const d = await latestChange(w.b, 'production');
      return d?.buildId ? d : null;
    }, 'the build id to be saved');
    w.b = await w.b.restart();
    const b = w.b;
    expect(b.app.store.kind).toBe('postgres');
    // The lock survived the restart in the database: nobody else can deploy meanwhile.
    const other = await b.driver.command('deploy production --dry-run', { userId: USERS.cy, channelId: CHANNEL });
    const refused = await b.slack.answerTo(other);
    expect(String(refused.text)).toMatch(new RegExp(`production is busy: a deploy by <@${USERS.ana}>`));
    await until(
      () => messages(b).some((m) => m.threadTs === running.statusTs && textOf(m).includes('restarted')),
      'the restart notice in the thread',
    );
    b.heroku.completeBuild(running.buildId!, 'succeeded');
    const d = await finished(b, 'production');
    expect(d).toMatchObject({ id: running.id, state: 'succeeded', releaseVersion: 3 });
    await until(
      async () => (await b.app.store.approvals.get(approvalId))?.state === 'succeeded',
      'the approval to settle',
    );
    expect(b.heroku.app('capecraft').builds).toHaveLength(1);
    expect(b.heroku.requestsTo('POST', '/apps/capecraft/builds')).toHaveLength(1);
    expect(w.github.deployments(REPO)).toHaveLength(1);
    expect(w.github.deployments(REPO)[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(await b.app.store.locks.get('production', Date.now())).toBeNull();
  });

  it("rolls back with approval and leaves production frozen by the rollback's own lock", async () => {
    const { b } = w;
    await requestAndApprove(b, 'rollback production v1', USERS.cy, USERS.ana);
    const d = await finished(b, 'production');
    expect(d).toMatchObject({ kind: 'rollback', state: 'succeeded', targetVersion: 1, releaseVersion: 3 });
    const lock = await b.app.store.locks.get('production', Date.now());
    expect(lock).toMatchObject({ kind: 'manual', holderId: USERS.cy, expiresAt: null, token: d.lockToken });
    expect(lock!.reason).toContain('rolled back to v1');
  });
});
