import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINE_COLOR, panelBox, slotX } from '../../src/adapters/charts/line-chart.ts';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import { decodePng } from '../support/png-decode.ts';
import { frame, memoryLine, routerLine } from '../support/logplex-frames.ts';

/**
 * The whole app: drain POSTs into /hooks/logdrain on the bot's port, a flag flip in the release
 * history, then `/autorisen metrics staging --since 1h` over signed Slack and the chart fetched
 * from the bot as Slack would.
 */
const PUBLIC_URL = 'https://autorisen-bot.example.com';
const PASSWORD = 'staging-drain-password-e2e';
const MIN = 60_000;
let b: BootedApp;
const nowMinute = Math.floor(Date.now() / MIN) * MIN;
const flipAt = nowMinute - 20 * MIN + 30_000;

async function post(at: number, t: { errors: number; latency: number; auth401: number }, id: string) {
  const lines: string[] = [];
  const iso = (i: number) => new Date(at + (i % 50) * 1000).toISOString();
  for (let i = 0; i < 40; i++) {
    const status = i < t.errors ? 500 : i >= 40 - t.auth401 ? 401 : 200;
    lines.push(
      routerLine(iso(i), { status, service: t.latency, connect: 0, path: status === 401 ? '/api/autorisen/me' : '/' }),
    );
  }
  lines.push(memoryLine(iso(10), 'web.1', 200));
  const res = await fetch(`${b.url}/hooks/logdrain`, {
    method: 'POST',
    headers: {
      'content-type': 'application/logplex-1',
      'logplex-msg-count': String(lines.length),
      'logplex-frame-id': id,
      'logplex-drain-token': 'd.11111111-2222-4333-8444-555555555555',
      authorization: `Basic ${Buffer.from(`staging:${PASSWORD}`).toString('base64')}`,
    },
    body: frame(lines),
  });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  b = await bootApp({ env: { LOGDRAIN_PASSWORD_STAGING: PASSWORD, PUBLIC_URL } });
  for (let m = 40; m >= 21; m--) await post(nowMinute - m * MIN, { errors: 0, latency: 120, auth401: 1 }, `a${m}`);
  for (let m = 19; m >= 1; m--) await post(nowMinute - m * MIN, { errors: 2, latency: 450, auth401: 3 }, `b${m}`);
  await b.app.store.releases.record({
    env: 'staging',
    app: 'autorisen',
    version: 7,
    releaseId: 'r7',
    flagValue: 'true',
    flagKnown: true,
    source: 'flag',
    actor: USERS.ana,
    description: 'Set FEATURE_AUTORISEN config vars',
    at: flipAt,
  });
});
afterAll(async () => {
  await b?.stop();
});

describe('/autorisen metrics', () => {
  let body: Record<string, unknown>;
  it('answers with totals, sparklines, the change and its before/after numbers, and a chart image', async () => {
    const res = await b.driver.command('metrics staging --since 1h', { userId: USERS.vic });
    expect(res.status).toBe(200);
    body = await b.slack.answerTo(res);
    const text = String(body.text);
    expect(text).toMatch(/^Log drain metrics for staging, last 1 h: 1560 requests, 5xx 2\.4%/);
    expect(text).toMatch(/p95 {5}[▁▂▃▄▅▆▇█ ]+ {2}max 450 ms/);
    expect(text).toMatch(/401s on \/api\/autorisen\/ 77 \(elsewhere 0\)/);
    expect(text).toMatch(/Changes: (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC FEATURE_AUTORISEN went on/);
    expect(text).toMatch(
      /Before\/after: since FEATURE_AUTORISEN went on (19|2\d) min ago: p95 120 ms → 450 ms, 5xx 0\.0% → 5\.0%, 401s on \/api\/autorisen 10 → 30 \(×3\)/,
    );
    const image = (body.blocks as { type: string; image_url?: string }[]).find((x) => x.type === 'image');
    expect(image?.image_url).toMatch(
      /^https:\/\/autorisen-bot\.example\.com\/charts\/metrics\/staging\.\d+\.\d+\.[0-9a-f]{32}\.png$/,
    );
  });

  it('serves the chart: latency steps up after the flip, which is marked', async () => {
    const image = (body.blocks as { type: string; image_url?: string }[]).find((x) => x.type === 'image')!;
    const path = new URL(image.image_url!).pathname;
    const res = await fetch(`${b.url}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = decodePng(Buffer.from(await res.arrayBuffer()));
    const n = 61;
    const flipSlot = Math.floor((flipAt - (nowMinute - 60 * MIN)) / MIN);
    // The change marker runs through all three panels.
    for (const p of [0, 1, 2]) expect(png.at(slotX(flipSlot, n), panelBox(p).top + 5)).toBe(LINE_COLOR.marker);
    // Latency panel: before the flip the line sits low, after it at the top (450 is the peak).
    const column = (x: number) => {
      const { top, bottom } = panelBox(0);
      for (let y = top; y <= bottom + 1; y++) if (png.at(x, y) === LINE_COLOR.line) return y;
      return -1;
    };
    const before = column(slotX(flipSlot - 5, n));
    const after = column(slotX(flipSlot + 5, n));
    expect(after).toBeGreaterThan(0);
    // The dashed rule line (1.5 s) sets the scale: 120 ms sits near the bottom, 450 ms clearly higher.
    expect(before - after).toBeGreaterThan(15);
  });

  it('a tampered chart name is a plain 404', async () => {
    const res = await fetch(`${b.url}/charts/metrics/staging.1.2.${'0'.repeat(32)}.png`);
    expect(res.status).toBe(404);
  });

  it('usage errors say what is expected', async () => {
    const res = await b.driver.command('metrics staging --since soon', { userId: USERS.vic });
    expect(res.body).toMatch(/--since expects a duration such as 30m, 1h or 2d; got \\"soon\\"/);
  });
});
