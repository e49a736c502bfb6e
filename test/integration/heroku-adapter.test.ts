import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import type { EnvironmentConfig } from '../../src/config.ts';
import { AppError } from '../../src/errors.ts';
import type { HerokuPort } from '../../src/ports/heroku.ts';
import { startFakeHeroku, type FakeHeroku, type Fault } from '../fakes/fake-heroku-api.ts';

let fake: FakeHeroku;
let heroku: HerokuPort;
let waits: number[];
const envs = [
  { name: 'staging', herokuApp: 'autorisen' },
  { name: 'production', herokuApp: 'capecraft' },
] as unknown as EnvironmentConfig[];

beforeEach(async () => {
  fake = await startFakeHeroku({
    apps: [
      { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false', OTHER: 'x' } },
      { name: 'capecraft', configVars: { FEATURE_AUTORISEN: 'false' }, database: false },
    ],
  });
  waits = [];
  heroku = createHerokuAdapter(
    { apiKey: fake.apiKey, apiUrl: fake.url, dataApiUrl: fake.dataUrl },
    { environments: envs, timeoutMs: 400, sleep: async (ms) => void waits.push(ms) },
  );
});
afterEach(async () => fake.close());

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('heroku adapter: methods', () => {
  it('authenticates with Authorization: Bearer <key> on the Platform and Data APIs, as Heroku documents', async () => {
    await heroku.getConfigVars('autorisen');
    await heroku.captureBackup('autorisen').catch(() => undefined);
    const surfaces = new Set(fake.requests.map((r) => r.surface));
    expect(surfaces).toEqual(new Set(['platform', 'data']));
    for (const r of fake.requests) expect(r.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
  });

  it('reads and patches config vars; the patch creates a release and keeps other vars', async () => {
    expect(await heroku.getConfigVars('autorisen')).toEqual({ FEATURE_AUTORISEN: 'false', OTHER: 'x' });
    expect(await heroku.setConfigVars('autorisen', { FEATURE_AUTORISEN: 'true' })).toEqual({
      FEATURE_AUTORISEN: 'true',
      OTHER: 'x',
    });
    const [latest] = await heroku.listReleases('autorisen', 1);
    expect(latest).toMatchObject({
      version: 2,
      description: 'Set FEATURE_AUTORISEN config vars',
      current: true,
      userEmail: fake.userEmail,
    });
    const patch = fake.requestsTo('PATCH', '/apps/autorisen/config-vars')[0]!;
    expect(patch.body).toEqual({ FEATURE_AUTORISEN: 'true' });
    expect(patch.headers.accept).toBe('application/vnd.heroku+json; version=3');
  });

  it('lists releases newest first with a Range header and does not follow Next-Range', async () => {
    for (let i = 0; i < 5; i++) fake.changeConfigVars('autorisen', { N: String(i) });
    const releases = await heroku.listReleases('autorisen', 3);
    expect(releases.map((r) => r.version)).toEqual([6, 5, 4]);
    const gets = fake.requestsTo('GET', '/apps/autorisen/releases');
    expect(gets).toHaveLength(1);
    expect(gets[0]!.headers.range).toBe('version ..; order=desc, max=3');
  });

  it('gets a release by version or id and rolls back (by id or version), restoring config vars', async () => {
    fake.changeConfigVars('autorisen', { FEATURE_AUTORISEN: 'true' });
    const v1 = await heroku.getRelease('autorisen', 1);
    expect(await heroku.getRelease('autorisen', v1.id)).toMatchObject({ version: 1 });
    const rb = await heroku.rollback('autorisen', v1.id);
    expect(rb).toMatchObject({ version: 3, description: 'Rollback to v1', current: true });
    expect((await heroku.getConfigVars('autorisen')).FEATURE_AUTORISEN).toBe('false');
    const rb2 = await heroku.rollback('autorisen', 'v2');
    expect(rb2.description).toBe('Rollback to v2');
    expect(fake.requestsTo('POST', '/apps/autorisen/releases').map((r) => r.body)).toEqual([
      { release: v1.id },
      { release: fake.app('autorisen').releases[1]!.id },
    ]);
  });

  it('creates a build, polls it to success and reads its output', async () => {
    fake.buildBehaviour = { outcome: 'manual', afterPolls: 1, lines: [] };
    const build = await heroku.createBuild('autorisen', {
      url: 'https://codeload.github.com/o/r/legacy.tar.gz/abc1234def',
      version: 'abc1234def',
      description: 'deploy',
    });
    expect(build).toMatchObject({ status: 'pending', release: null, sourceVersion: 'abc1234def' });
    fake.completeBuild(build.id, 'succeeded', ['-----> Build succeeded!']);
    const done = await heroku.getBuild('autorisen', build.id);
    expect(done.status).toBe('succeeded');
    expect(done.release?.version).toBe(2);
    expect((await heroku.getRelease('autorisen', 2)).description).toBe('Deploy abc1234');
    expect(await heroku.readBuildOutput(done.outputStreamUrl!)).toContain('Build succeeded!');
  });

  it('reports a failed build with its output lines', async () => {
    fake.buildBehaviour = { outcome: 'failed', afterPolls: 1, lines: ['npm ERR! code ELIFECYCLE'] };
    const build = await heroku.createBuild('autorisen', { url: 'https://x/t.tgz', version: 'deadbeef' });
    const polled = await heroku.getBuild('autorisen', build.id);
    expect(polled.status).toBe('failed');
    expect(await heroku.readBuildOutput(polled.outputStreamUrl!)).toContain('ELIFECYCLE');
  });

  it('captures a backup through the Data API host and polls its transfer', async () => {
    const backup = await heroku.captureBackup('autorisen');
    expect(backup.name).toBe('b001');
    expect(fake.requests.filter((r) => r.surface === 'data').map((r) => `${r.method} ${r.path}`)).toEqual([
      expect.stringMatching(/^POST \/client\/v11\/databases\/.+\/backups$/),
    ]);
    expect(await heroku.getTransfer('autorisen', backup.transferId)).toMatchObject({ finished: true, succeeded: true });
    fake.backupBehaviour = { succeeded: false, afterPolls: 1, logs: ['pg_dump: error: connection lost'] };
    const b2 = await heroku.captureBackup('autorisen');
    expect(await heroku.getTransfer('autorisen', b2.transferId)).toEqual({
      finished: true,
      succeeded: false,
      logs: ['pg_dump: error: connection lost'],
    });
  });

  it('lists backups as `heroku pg:backups` does: newest first, scheduled ones "a…", restores left out, times in ISO', async () => {
    const base = { logs: [], succeeded: true };
    fake.app('autorisen').transfers.push(
      {
        ...base,
        uuid: 'u1',
        num: 1,
        createdAt: '2026-11-01T03:00:00Z',
        finishedAt: '2026-11-01T03:05:00Z',
        scheduleUuid: 's1',
      },
      {
        ...base,
        uuid: 'u2',
        num: 2,
        createdAt: '2026-11-02T09:00:00Z',
        finishedAt: '2026-11-02T09:01:00Z',
        succeeded: false,
      },
      {
        ...base,
        uuid: 'u3',
        num: 3,
        createdAt: '2026-11-03T09:00:00Z',
        finishedAt: '2026-11-03T09:09:00Z',
        toType: 'pg_restore',
      },
      { ...base, uuid: 'u4', num: 4, createdAt: '2026-11-04T09:00:00Z', finishedAt: null },
    );
    expect(await heroku.listBackups!('autorisen')).toEqual([
      { name: 'b004', createdAt: '2026-11-04T09:00:00.000Z', finishedAt: null, succeeded: false },
      { name: 'b002', createdAt: '2026-11-02T09:00:00.000Z', finishedAt: '2026-11-02T09:01:00.000Z', succeeded: false },
      { name: 'a001', createdAt: '2026-11-01T03:00:00.000Z', finishedAt: '2026-11-01T03:05:00.000Z', succeeded: true },
    ]);
    // What the fake served is the Data API's own shape: its time format, null while running.
    const res = await fetch(`${fake.dataUrl}/client/v11/apps/autorisen/transfers`, {
      headers: { Authorization: `Bearer ${fake.apiKey}`, Accept: 'application/vnd.heroku+json; version=3' },
    });
    const served = (await res.json()) as Record<string, unknown>[];
    expect(served[3]).toMatchObject({ created_at: '2026-11-04 09:00:00 +0000', finished_at: null, succeeded: null });
    expect(served[0]).toMatchObject({ schedule: { uuid: 's1' }, from_name: 'DATABASE', to_type: 'gof3r' });
  });

  it('says so when the app has no database to back up', async () => {
    const err = await failure(heroku.captureBackup('capecraft'));
    expect(err.code).toBe('heroku_not_found');
  });
});

describe('heroku adapter: errors', () => {
  const cases: Array<[Fault, string, RegExp]> = [
    [{ status: 401 }, 'heroku_unauthorized', /HEROKU_API_KEY/],
    [{ status: 403 }, 'heroku_forbidden', /access.*"capecraft"|"capecraft".*access/],
    [
      { status: 422, message: 'Config var FEATURE_AUTORISEN is locked.' },
      'heroku_invalid',
      /Config var FEATURE_AUTORISEN is locked\./,
    ],
    [{ status: 429 }, 'heroku_rate_limited', /RateLimit-Remaining: \d+.*try again/],
    [{ status: 500 }, 'heroku_unavailable', /500/],
    [{ status: 503 }, 'heroku_unavailable', /503/],
    [{ hang: true }, 'heroku_timeout', /did not answer/],
  ];
  for (const [fault, code, message] of cases) {
    it(`maps ${fault.status ?? 'a hang'} on a PATCH to ${code}, sent once`, async () => {
      fake.fail({ ...fault, method: 'PATCH' });
      const err = await failure(heroku.setConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' }));
      expect(err.code).toBe(code);
      expect(err.userMessage).toMatch(message);
      expect(err.userMessage).not.toContain(fake.apiKey);
      expect(fake.requestsTo('PATCH', '/apps/capecraft/config-vars')).toHaveLength(1);
    });
  }

  it('does not silently resend a PATCH after a timeout (heroku-client would)', async () => {
    fake.fail({ hang: true, method: 'PATCH' });
    await failure(heroku.setConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' }));
    // heroku-client's own retry fires ~1 s after the abort; give it the chance to misbehave.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.requestsTo('PATCH', '/apps/capecraft/config-vars')).toHaveLength(1);
    expect(fake.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');
  });

  it('names the app and its config entry on a 404', async () => {
    const err = await failure(heroku.getConfigVars('capecraft-typo'));
    expect(err.code).toBe('heroku_not_found');
    expect(err.userMessage).toContain('"capecraft-typo"');
    fake.fail({ status: 404 });
    const named = await failure(heroku.getConfigVars('capecraft'));
    expect(named.userMessage).toContain('environments[1].heroku_app (production)');
  });

  it('rejects a wrong key for real (no fault injected) with heroku_unauthorized', async () => {
    const bad = createHerokuAdapter({ apiKey: 'wrong', apiUrl: fake.url, dataApiUrl: fake.dataUrl });
    expect((await failure(bad.getConfigVars('autorisen'))).code).toBe('heroku_unauthorized');
  });

  it('retries an idempotent GET once after a short Retry-After, never a write', async () => {
    fake.fail({ status: 429, retryAfter: 2, method: 'GET' });
    expect((await heroku.getConfigVars('autorisen')).FEATURE_AUTORISEN).toBe('false');
    expect(waits).toEqual([2000]);
    fake.fail({ status: 429, retryAfter: 2, method: 'PATCH' });
    const err = await failure(heroku.setConfigVars('autorisen', { FEATURE_AUTORISEN: 'true' }));
    expect(err.retryAfterSec).toBe(2);
    expect(err.userMessage).toContain('in 2 s');
    fake.fail({ status: 429, retryAfter: 60, method: 'GET' });
    expect((await failure(heroku.getConfigVars('autorisen'))).code).toBe('heroku_rate_limited');
    expect(waits).toEqual([2000]);
  });

  it('maps an unreachable API to heroku_unavailable naming HEROKU_API_URL', async () => {
    const url = fake.url;
    await fake.close();
    const down = createHerokuAdapter({ apiKey: 'k', apiUrl: url, dataApiUrl: url });
    const err = await failure(down.getConfigVars('autorisen'));
    expect(err.code).toBe('heroku_unavailable');
    expect(err.userMessage).toContain('HEROKU_API_URL');
    fake = await startFakeHeroku();
  });

  it('refuses to call Heroku without a key', async () => {
    const none = createHerokuAdapter({ apiKey: null, apiUrl: fake.url, dataApiUrl: fake.dataUrl });
    expect((await failure(none.listReleases('autorisen', 5))).userMessage).toContain('HEROKU_API_KEY');
    expect(fake.requests).toHaveLength(0);
  });
});
