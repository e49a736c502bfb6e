import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployRun } from '../support/deploy-run.ts';
import { renderAlert } from '../../src/core/alerts/messages.ts';
import { RecordingChat } from '../support/recording-chat.ts';
import { TestClock } from '../support/test-clock.ts';
import type { OpenedStore } from '../support/test-databases.ts';
import { frame, memoryLine, routerLine } from '../support/logplex-frames.ts';
import { send } from './alert-harness.ts';
import { drainConfig, drainHeaders, startDrainWatch } from './logdrain-harness.ts';

/**
 * Thresholds → alerts in the alert pipeline, and before/after around a flag flip and a deploy:
 * traffic goes in through POST /hooks/logdrain, the watch sweeps at chosen times.
 */
const T0 = Date.UTC(2026, 10, 28, 9, 0, 0);
const MIN = 60_000;
const clock = new TestClock(T0);
const config = drainConfig();
const chat = new RecordingChat();
let db: OpenedStore;
let drain: { url: string; close(): Promise<void> };
let watch: Awaited<ReturnType<typeof startDrainWatch>>['watch'];
let close: () => Promise<void>;
let frameNo = 0;

beforeAll(async () => {
  ({ db, drain, watch, close } = await startDrainWatch(config, clock, chat));
});
afterAll(() => close?.());

/** One minute of production traffic: `n` requests, `errors` of them 500, `latency` ms, `auth401` 401s on /api/autorisen/. */
async function minute(
  at: number,
  t: { n?: number; errors?: number; latency?: number; auth401?: number; h12?: number; memMb?: number; env?: string },
) {
  const lines: string[] = [];
  const iso = (i: number) => new Date(at + (i % 59) * 1000).toISOString();
  const n = t.n ?? 100;
  for (let i = 0; i < n; i++) {
    const err = i < (t.errors ?? 0);
    const auth = i >= n - (t.auth401 ?? 0);
    lines.push(
      routerLine(iso(i), {
        status: err ? 500 : auth ? 401 : 200,
        service: t.latency ?? 100,
        connect: 0,
        path: auth ? '/api/autorisen/session' : '/',
      }),
    );
  }
  for (let i = 0; i < (t.h12 ?? 0); i++)
    lines.push(routerLine(iso(i), { status: 503, service: 30000, connect: 0, code: 'H12' }));
  if (t.memMb) lines.push(memoryLine(iso(30), 'web.1', t.memMb));
  clock.current = at + 59_000;
  const r = await send(
    drain.url,
    '/hooks/logdrain',
    frame(lines),
    drainHeaders(`f${++frameNo}`, lines.length, { env: t.env ?? 'production' }),
  );
  expect(r.status).toBe(200);
}

async function minutes(from: number, count: number, t: Parameters<typeof minute>[1]) {
  for (let i = 0; i < count; i++) await minute(from + i * MIN, t);
}

const fp = (rule: string) => `heroku:logdrain:production:${rule}`;

describe('a flag flip that hurts: alert with before/after, resolve, 10-minute follow-up', () => {
  const flipAt = T0 + 10 * MIN + 5_000;

  it('healthy traffic fires nothing', async () => {
    await minutes(T0, 10, { latency: 100, auth401: 1 });
    expect(await watch.evaluate(clock.now())).toEqual({ fired: [], resolved: [] });
  });

  it('after FEATURE_AUTORISEN goes on, 5% 5xx fires an alert whose detail compares before and after', async () => {
    await db.store.releases.record({
      env: 'production',
      app: 'my-app',
      version: 42,
      releaseId: 'r42',
      flagValue: 'true',
      flagKnown: true,
      source: 'flag',
      actor: 'UANA0001',
      description: 'Set FEATURE_AUTORISEN config vars',
      at: flipAt,
    });
    await minutes(T0 + 11 * MIN, 5, { errors: 5, latency: 400, auth401: 3 });
    const r = await watch.evaluate(clock.now());
    expect(r.fired).toContain(fp('error_ratio'));
    const g = (await db.store.alerts.getGroup(fp('error_ratio')))!;
    expect(g).toMatchObject({
      status: 'firing',
      env: 'production',
      severity: 'error',
      count: 1,
      channel: 'C0DEPLOYPRD',
    });
    expect(g.title).toMatch(/^5xx ratio 5\.0% over 5 min/);
    expect(g.alert.detail).toMatch(
      /since FEATURE_AUTORISEN went on [56] min ago: p95 100 ms → 400 ms, 5xx 0\.0% → 5\.0%, 401s on \/api\/autorisen 10 → 15 \(×1\.5\)/,
    );
  });

  it('the alert message offers the rollout brakes: Turn FEATURE_AUTORISEN off and Roll back', async () => {
    const g = (await db.store.alerts.getGroup(fp('error_ratio')))!;
    const buttons = renderAlert(g, clock.now()).buttons ?? [];
    expect(buttons.map((b) => b.value)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^flag off production --reason "alert: 5xx ratio/),
        'rollback production',
      ]),
    );
    expect(await db.store.alerts.pendingGroups(clock.now(), 10)).toEqual(
      expect.arrayContaining([expect.objectContaining({ fingerprint: fp('error_ratio') })]),
    );
  });

  it('a second sweep while still breached changes nothing (dedup by state, not by a timer)', async () => {
    expect(await watch.evaluate(clock.now())).toEqual({ fired: [], resolved: [] });
    expect((await db.store.alerts.getGroup(fp('error_ratio')))!.count).toBe(1);
  });

  it('ten minutes after the flip the comparison is posted once to the deploy channel', async () => {
    await minutes(T0 + 16 * MIN, 5, { latency: 100 });
    expect(await watch.followUps(flipAt + 10 * MIN + 1000)).toBe(1);
    expect(await watch.followUps(flipAt + 10 * MIN + 31_000)).toBe(0);
    const post = chat.posts.at(-1)!;
    expect(post.channel).toBe('C0DEPLOYPRD');
    expect(post.message.text).toMatch(
      /^📈 \[production\] 10 min on — since FEATURE_AUTORISEN went on 10 min ago: p95 100 ms → /,
    );
  });

  it('resolves when the rule clears', async () => {
    const r = await watch.evaluate(clock.now());
    expect(r.resolved).toContain(fp('error_ratio'));
    expect(await db.store.alerts.getGroup(fp('error_ratio'))).toMatchObject({
      status: 'resolved',
      resolvedBy: 'the log drain (back within the rule)',
    });
  });
});

describe('other rules', () => {
  it('any H12, memory over 90% of quota, and 401s on /api/autorisen/ doubling each fire', async () => {
    const start = T0 + 30 * MIN;
    await minutes(start, 10, { auth401: 1 });
    await minutes(start + 10 * MIN, 9, { auth401: 3 });
    await minute(start + 19 * MIN, { auth401: 3, h12: 1, memMb: 470 });
    const r = await watch.evaluate(clock.now());
    expect(r.fired.sort()).toEqual([fp('autorisen_401_growth'), fp('error_codes:H12'), fp('memory_quota')]);
    expect((await db.store.alerts.getGroup(fp('memory_quota')))!.title).toMatch(
      /memory 92% of quota on web\.1 \(470 MB/,
    );
    expect((await db.store.alerts.getGroup(fp('error_codes:H12')))!.title).toMatch(
      /^H12 ×1 in 5 min \(Request timeout/,
    );
  });

  it('p95 over 1.5 s fires; staging uses its own 5% error rule', async () => {
    const start = T0 + 60 * MIN;
    await minutes(start, 5, { latency: 2000 });
    await minutes(start, 5, { errors: 4, env: 'staging' });
    const r = await watch.evaluate(clock.now());
    expect(r.fired).toContain(fp('p95_latency'));
    expect(r.fired).not.toContain('heroku:logdrain:staging:error_ratio');
  });
});

describe('a deploy: the follow-up goes into its own thread', () => {
  it('posts the before/after under the deploy message, once', async () => {
    const at = T0 + 100 * MIN;
    await minutes(at - 10 * MIN, 10, { latency: 120 });
    await db.store.workflows.create(
      deployRun({
        id: 'dep-1',
        env: 'production',
        ref: 'main',
        sha: '1a2b3c4d5e6f'.padEnd(40, '0'),
        previousVersion: 42,
        requesterId: 'UANA0001',
        state: 'done',
        version: 43,
        statusChannel: 'C0DEPLOYPRD',
        statusTs: '1700000999.000100',
        at,
      }),
    );
    await minutes(at + MIN, 10, { latency: 900, errors: 1 });
    expect(await watch.followUps(at + 10 * MIN + 5000)).toBe(1);
    const post = chat.posts.at(-1)!;
    expect(post).toMatchObject({ channel: 'C0DEPLOYPRD', threadTs: '1700000999.000100' });
    expect(post.message.text).toMatch(
      /since the deploy of 1a2b3c4 \(v43\) 10 min ago: p95 120 ms → 900 ms, 5xx 0\.0% → 1\.0%/,
    );
    expect(await watch.followUps(at + 11 * MIN)).toBe(0);
  });
});
