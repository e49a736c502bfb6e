import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latencyPercentiles } from '../../src/services/drain/histogram.ts';
import { TestClock } from '../support/test-clock.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import { fixtureBytes, fixtureMessages, frame, memoryLine, routerLine } from '../support/logplex-frames.ts';
import { send } from './alert-harness.ts';
import { DRAIN, drainConfig, drainHeaders, startDrain } from './logdrain-harness.ts';

/**
 * POST /hooks/logdrain over real HTTP with the real Logplex samples and generated batches: every
 * guard's status with nothing stored, the aggregates a user sees, redelivery and malformed frames.
 */
let db: OpenedStore;
let drain: { url: string; close(): Promise<void> };
const clock = new TestClock(Date.UTC(2026, 10, 28, 9, 30, 0));

beforeAll(async () => {
  db = await testDatabase('sqlite').open();
  drain = await startDrain({ store: db.store, config: drainConfig(), clock });
});
afterAll(async () => {
  await drain?.close();
  await db?.cleanup();
});

const MIN = Date.UTC(2026, 10, 28, 9, 0, 0);
const iso = (offsetSec: number) => new Date(MIN + offsetSec * 1000).toISOString();
const rows = (env = 'production') => db.store.drainMetrics.minutes(env, 0, Number.MAX_SAFE_INTEGER);

describe('guards, in order, each with nothing stored', () => {
  const body = frame([routerLine(iso(1), { status: 200, service: 10 })]);
  const cases: [string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, RegExp][] = [
    ['a GET', () => send(drain.url, '/hooks/logdrain', null, {}, 'GET'), 405, /use POST/],
    [
      'a JSON body',
      () => send(drain.url, '/hooks/logdrain', body, { ...drainHeaders('g1', 1), 'content-type': 'application/json' }),
      415,
      /application\/logplex-1/,
    ],
    [
      'no Logplex-Frame-Id',
      () => {
        const h = drainHeaders('g2', 1);
        delete (h as Record<string, string | undefined>)['logplex-frame-id'];
        return send(drain.url, '/hooks/logdrain', body, h);
      },
      400,
      /logplex-frame-id/,
    ],
    [
      'no credentials',
      () => {
        const h = drainHeaders('g3', 1);
        delete (h as Record<string, string | undefined>).authorization;
        return send(drain.url, '/hooks/logdrain', body, h);
      },
      400,
      /authorization/,
    ],
    [
      'a wrong password',
      () => send(drain.url, '/hooks/logdrain', body, drainHeaders('g4', 1, { password: 'not-the-password-xx' })),
      401,
      /credentials do not match/,
    ],
    [
      "production's password with the staging user",
      () =>
        send(drain.url, '/hooks/logdrain', body, drainHeaders('g5', 1, { env: 'staging', password: DRAIN.production })),
      401,
      /credentials do not match/,
    ],
    [
      "staging's drain token on production's credentials",
      () => send(drain.url, '/hooks/logdrain', body, drainHeaders('g6', 1, { token: DRAIN.stagingToken })),
      403,
      /not one of production's drains/,
    ],
    [
      'a body with no readable frame',
      () => send(drain.url, '/hooks/logdrain', Buffer.from('hello world\n'), drainHeaders('g7', 1)),
      400,
      /no readable frame/,
    ],
  ];
  for (const [what, run, status, error] of cases)
    it(`${what} → ${status}`, async () => {
      const r = await run();
      expect(r.status).toBe(status);
      expect(String(r.body.error)).toMatch(error);
      expect(await rows()).toEqual([]);
      expect(await rows('staging')).toEqual([]);
    });

  it('a body over the cap → 413', async () => {
    const small = await startDrain({ store: db.store, config: drainConfig(), clock, maxBodyBytes: 100 });
    try {
      const big = frame([
        routerLine(iso(1), { status: 200, service: 10 }),
        routerLine(iso(2), { status: 200, service: 10 }),
      ]);
      const r = await send(small.url, '/hooks/logdrain', big, drainHeaders('g8', 2));
      expect(r.status).toBe(413);
      expect(await rows()).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('no drain password configured at all → 503 naming the variable', async () => {
    const off = await startDrain({
      store: db.store,
      config: drainConfig({
        LOGDRAIN_PASSWORD_PRODUCTION: '',
        LOGDRAIN_PASSWORD_PRODUCTION_PREVIOUS: '',
        LOGDRAIN_PASSWORD_STAGING: '',
      }),
      clock,
    });
    try {
      const r = await send(off.url, '/hooks/logdrain', body, drainHeaders('g9', 1));
      expect(r.status).toBe(503);
      expect(String(r.body.error)).toMatch(/LOGDRAIN_PASSWORD_<ENV>/);
    } finally {
      await off.close();
    }
  });
});

describe('accepted batches', () => {
  it('accepts the real logplex README POST with its real drain token and the previous password (rotation)', async () => {
    const raw = fixtureBytes('heroku/logplex_https_drain_post.heroku_logplex_readme.txt').toString('utf8');
    const body = Buffer.from(raw.slice(raw.indexOf('\n\n') + 2));
    const r = await send(
      drain.url,
      '/hooks/logdrain',
      body,
      drainHeaders('09C557EAFCFB6CF2740EE62F62971098', 10, { password: DRAIN.productionPrevious }),
    );
    // Console lines carry no signal we keep: read, not counted, nothing stored.
    expect(r).toMatchObject({ status: 200, body: { env: 'production', frames: 10, malformed: 0, counted: 0 } });
  });

  it('aggregates a mixed batch per minute: requests, 5xx, 401/403 inside and outside /api/autorisen/, codes, latency, memory', async () => {
    const lines = [
      routerLine(iso(1), { status: 200, service: 100 }),
      routerLine(iso(2), { status: 200, service: 200, path: '/api/autorisen/tokens' }),
      routerLine(iso(3), { status: 401, service: 5, path: '/api/autorisen/tokens' }),
      routerLine(iso(4), { status: 401, service: 5, path: '/login' }),
      routerLine(iso(5), { status: 403, service: 5, path: '/api/autorisen/admin?x=1' }),
      routerLine(iso(6), { status: 503, service: 30000, connect: 0, code: 'H12' }),
      routerLine(iso(7), { status: 503, service: 0, code: 'H10' }),
      memoryLine(iso(8), 'web.1', 300),
      memoryLine(iso(9), 'web.1', 470.5),
      memoryLine(iso(10), 'web.2', 120),
      '<45>1 2026-11-28T09:00:11+00:00 host heroku web.1 - Error R14 (Memory quota exceeded)',
      '<45>1 2026-11-28T09:00:12+00:00 host heroku web.2 - source=web.2 dyno=heroku.1.x sample#load_avg_1m=1.25',
      routerLine(iso(61), { status: 500, service: 50 }),
    ];
    const r = await send(drain.url, '/hooks/logdrain', frame(lines), drainHeaders('frame-a', lines.length));
    expect(r).toMatchObject({ status: 200, body: { frames: 13, malformed: 0, counted: 13, duplicate: false } });
    const [m0, m1] = await rows();
    expect(m0).toMatchObject({
      minute: MIN,
      requests: 7,
      status5xx: 2,
      requestsInside: 3,
      status5xxInside: 0,
      auth401Inside: 1,
      auth401Outside: 1,
      auth403Inside: 1,
      auth403Outside: 0,
      codes: { H12: 1, H10: 1, R14: 1 },
      memory: { 'web.1': { maxMb: 470.5, quotaMb: 512 }, 'web.2': { maxMb: 120, quotaMb: 512 } },
      loadMax: 1.25,
    });
    expect(m1).toMatchObject({ minute: MIN + 60_000, requests: 1, status5xx: 1 });
    expect(latencyPercentiles([m0!])!.p99).toBeGreaterThanOrEqual(29_900);
  });

  it('a redelivered Logplex-Frame-Id is answered 200 and not counted twice', async () => {
    const before = await rows();
    const lines = [routerLine(iso(1), { status: 200, service: 100 })];
    const r = await send(drain.url, '/hooks/logdrain', frame(lines), drainHeaders('frame-a', 1));
    expect(r).toMatchObject({ status: 200, body: { duplicate: true, counted: 0 } });
    expect(await rows()).toEqual(before);
  });

  it('the same frame id from another environment is its own frame', async () => {
    const lines = [routerLine(iso(1), { status: 200, service: 100 })];
    const r = await send(drain.url, '/hooks/logdrain', frame(lines), drainHeaders('frame-a', 1, { env: 'staging' }));
    expect(r).toMatchObject({ status: 200, body: { env: 'staging', duplicate: false, counted: 1 } });
    expect((await rows('staging'))[0]).toMatchObject({ requests: 1 });
  });

  it('keeps the good frames of the real batch with wrong counts (lines 3-5), losing only those', async () => {
    const before = (await rows())[0]!;
    const r = await send(
      drain.url,
      '/hooks/logdrain',
      fixtureBytes('heroku/log_lines.logplex_frames.txt'),
      drainHeaders('frame-real', 5),
    );
    expect(r).toMatchObject({ status: 200, body: { frames: 2, malformed: 3, declared: 5 } });
    // The two router lines are from 2012 and 2019: older than the retention, so read but not counted.
    expect(r.body.counted).toBe(0);
    expect((await rows())[0]).toEqual(before);
  });

  it('the same real frames, correctly counted and recent, all count', async () => {
    const msgs = fixtureMessages('heroku/log_lines.logplex_frames.txt').map((m) =>
      m.replace(/^(<\d+>1) \S+/, `$1 ${iso(120)}`),
    );
    const r = await send(drain.url, '/hooks/logdrain', frame(msgs), drainHeaders('frame-real-fixed', 5));
    expect(r).toMatchObject({ status: 200, body: { frames: 5, malformed: 0, counted: 5 } });
    const m = (await rows()).find((x) => x.minute === MIN + 120_000)!;
    expect(m).toMatchObject({
      requests: 3,
      status5xx: 2,
      codes: { H12: 2 },
      memory: { 'web.1': { maxMb: 99.74, quotaMb: 512 } },
    });
  });
});
