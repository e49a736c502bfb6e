import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createSandbox } from '../../src/dev/sandbox.ts';
import { createSandboxGitHub } from '../../src/dev/sandbox-github.ts';
import { createSandboxHeroku } from '../../src/dev/sandbox-heroku.ts';
import { PRODUCTION_COMMIT, SANDBOX_HISTORY } from '../../src/dev/sandbox-repo.ts';
import { AppError } from '../../src/errors.ts';

const example = readFileSync(new URL('../../autorisen.config.example.yml', import.meta.url), 'utf8');
const now = () => Date.parse('2026-11-20T10:00:00Z');
const repo = { owner: 'capecraft', repo: 'capecraft' };
const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof AppError ? e.code : String(e)),
  );

describe('sandbox Heroku', () => {
  const heroku = () =>
    createSandboxHeroku(
      [
        { name: 'autorisen', production: false },
        { name: 'capecraft', production: true },
      ],
      now,
    );

  it('makes a release per config change and restores a release’s config vars on rollback, as Heroku does', async () => {
    const h = heroku();
    const [before] = await h.listReleases('capecraft', 1);
    expect(before).toMatchObject({
      version: 3,
      current: true,
      description: expect.stringMatching(/^Deploy [0-9a-f]{7}$/),
    });
    await h.setConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    expect((await h.getConfigVars('capecraft')).FEATURE_AUTORISEN).toBe('true');
    const rolled = await h.rollback('capecraft', before!.id);
    expect(rolled).toMatchObject({ version: 5, description: 'Rollback to v3', current: true });
    expect((await h.getConfigVars('capecraft')).FEATURE_AUTORISEN).toBe('false');
    const list = await h.listReleases('capecraft', 3);
    expect(list.map((r) => [r.version, r.description, r.current])).toEqual([
      [5, 'Rollback to v3', true],
      [4, 'Set FEATURE_AUTORISEN config vars', false],
      [3, before!.description, false],
    ]);
    expect((await h.getRelease('capecraft', '4')).description).toBe('Set FEATURE_AUTORISEN config vars');
  });

  it('builds go pending then succeeded, releasing "Deploy <sha7>" with build output', async () => {
    const h = heroku();
    const sha = 'ab'.repeat(20);
    const b = await h.createBuild('autorisen', { url: 'https://codeload.example/x', version: sha });
    expect(b.status).toBe('pending');
    expect((await h.getBuild('autorisen', b.id)).status).toBe('pending');
    const done = await h.getBuild('autorisen', b.id);
    expect(done).toMatchObject({ status: 'succeeded', release: { version: 5 } });
    expect((await h.listReleases('autorisen', 1))[0]!.description).toBe(`Deploy ${sha.slice(0, 7)}`);
    expect(await h.readBuildOutput(b.outputStreamUrl!)).toContain('Released v5');
    expect(h.runningSha('autorisen')).toBe(sha);
  });

  it('backups finish, and unknown apps or releases are heroku_not_found', async () => {
    const h = heroku();
    const backup = await h.captureBackup('capecraft');
    expect(backup.name).toMatch(/^b\d{3}$/);
    expect((await h.getTransfer('capecraft', backup.transferId)).finished).toBe(false);
    expect(await h.getTransfer('capecraft', backup.transferId)).toMatchObject({ finished: true, succeeded: true });
    // The list (the checklist's "last backup") has it first, then the nightly ones from before.
    const list = await h.listBackups!('capecraft');
    expect(list.map((b) => b.name)).toEqual([backup.name, 'b003', 'b002', 'b001']);
    expect(list[0]).toMatchObject({ succeeded: true, finishedAt: expect.any(String) });
    expect(await code(h.getConfigVars('nope'))).toBe('heroku_not_found');
    expect(await code(h.getRelease('capecraft', 99))).toBe('heroku_not_found');
  });
});

describe('sandbox GitHub', () => {
  it('compares commits, lists the added migration and serves files at a ref', async () => {
    const g = createSandboxGitHub(['capecraft/capecraft'], now);
    const running = SANDBOX_HISTORY[PRODUCTION_COMMIT]!.sha;
    const head = await g.getCommit(repo, 'main');
    expect((await g.getCommit(repo, head.sha.slice(0, 7))).sha).toBe(head.sha);
    const cmp = await g.compare(repo, running.slice(0, 7), 'main');
    expect(cmp).toMatchObject({ status: 'ahead', aheadBy: 2, behindBy: 0 });
    expect(cmp.commits.map((c) => c.author)).toEqual(['Ana Lima', 'Ben Okafor']);
    expect(cmp.files).toContainEqual({ filename: 'alembic/versions/0002_add_widgets.py', status: 'added' });
    expect(cmp.files).toContainEqual({ filename: 'openapi.json', status: 'modified' });
    expect(await g.compare(repo, 'main', running)).toMatchObject({ status: 'behind', behindBy: 2, commits: [] });
    expect(await g.getFile(repo, 'main', 'alembic/versions/0002_add_widgets.py')).toContain('op.add_column');
    expect(await g.getFile(repo, running, 'openapi.json')).not.toBe(await g.getFile(repo, 'main', 'openapi.json'));
    expect(await code(g.getFile(repo, running, 'alembic/versions/0002_add_widgets.py'))).toBe('github_not_found');
    expect(await code(g.getCommit(repo, 'no-such-branch'))).toBe('github_not_found');
    expect(await code(g.getFile({ owner: 'other', repo: 'x' }, 'main', 'openapi.json'))).toBe('github_not_found');
  });

  it('records deployments and upserts the one comment carrying a marker', async () => {
    const g = createSandboxGitHub(['capecraft/capecraft'], now);
    const { id } = await g.createDeployment(repo, {
      ref: 'main',
      environment: 'staging',
      description: 'd',
      production: false,
    });
    await g.createDeploymentStatus(repo, id, { state: 'success' });
    expect(g.deployments()[0]).toMatchObject({ environment: 'staging', statuses: ['success'] });
    const a = await g.upsertIssueComment(repo, 7, '<!-- m -->', '<!-- m --> one');
    const b = await g.upsertIssueComment(repo, 7, '<!-- m -->', '<!-- m --> two');
    expect([a.created, b.created, a.id === b.id]).toEqual([true, false, true]);
    expect(g.comments(repo, 7).map((c) => c.body)).toEqual(['<!-- m --> two']);
  });
});

describe('createSandbox', () => {
  it('is never used outside the shell, nor when every credential and the config file exist', () => {
    const http = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }, () => example);
    expect(createSandbox(http, { exampleConfig: false, now })).toBeNull();
    const full = loadConfig({ HEROKU_API_KEY: 'k', GITHUB_TOKEN: 't' }, () => example);
    expect(createSandbox(full, { exampleConfig: false, now })).toBeNull();
  });

  it('simulates only what is missing and says so in one line', () => {
    const c = loadConfig({ HEROKU_API_KEY: 'k' }, () => example);
    const s = createSandbox(c, { exampleConfig: false, now })!;
    expect(s.heroku).toBeNull();
    expect(s.github).not.toBeNull();
    expect(s.probe).toBeUndefined();
    // Releases against the real Heroku bake in real minutes.
    expect(s.workflows).toBeUndefined();
    expect(s.banner).toBe(
      'Sandbox: GitHub (capecraft/capecraft) simulated in memory; nothing real changes. To use the real services, set GITHUB_TOKEN and restart.',
    );
  });

  it('serves the example environments’ /openapi.json from the running commit and delegates other refs', async () => {
    const c = loadConfig({}, () => example);
    const s = createSandbox(c, { exampleConfig: true, now })!;
    const asked: string[] = [];
    const specs = s.wrapSpecs({ load: async (ref) => (asked.push(ref), { label: ref, document: {}, sha256: 'x' }) });
    const prod = await specs.load('https://capecraft.herokuapp.com/openapi.json');
    const staging = await specs.load('https://autorisen.herokuapp.com/openapi.json');
    expect(Object.keys((prod.document as { paths: object }).paths)).not.toContain('/api/autorisen/widgets/');
    expect(Object.keys((staging.document as { paths: object }).paths)).toContain('/api/autorisen/widgets/');
    expect(prod.sha256).not.toBe(staging.sha256);
    await specs.load('https://elsewhere.example/openapi.json');
    expect(asked).toEqual(['https://elsewhere.example/openapi.json']);
    expect(await s.probe!('https://capecraft.herokuapp.com/healthz', { timeoutMs: 1000 })).toBe(200);
    // Nothing real is released: bakes run on the compressed clock, and the banner says so.
    expect(s.workflows?.bakeMinuteMs).toBeLessThan(1000);
    expect(s.banner).toMatch(/Release bakes run on a sandbox clock: 1 min takes [\d.]+ s\.$/);
    // Own environments (not the example's) are fetched for real: their URLs exist.
    const own = createSandbox(c, { exampleConfig: false, now })!;
    const inner = { load: async (ref: string) => ({ label: ref, document: { own: true }, sha256: 'y' }) };
    expect((await own.wrapSpecs(inner).load('https://capecraft.herokuapp.com/openapi.json')).document).toEqual({
      own: true,
    });
  });
});
