import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CHART_COLOR, chartLayout } from '../../src/adapters/charts/bar-chart.ts';
import { ACTIVITY_BUCKET_MS } from '../../src/core/alerts/activity.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { bootApp, defaultConfigYaml, type BootedApp } from '../drivers/boot-app.ts';
import type { StoredMessage } from '../fakes/fake-slack-api.ts';
import { decodePng } from '../support/png-decode.ts';
import { buttonsOf, messages, textOf, until } from './deploy-harness.ts';

/**
 * The activity chart through the whole app: signed Sentry deliveries, the delivery worker, the
 * message in the fake Slack, then the chart fetched from the bot's own HTTP port as Slack would.
 */
const SENTRY_SECRET = 'sentry-secret-for-charts';
const PUBLIC_URL = 'https://autorisen-bot.example.com';
const CHANNEL = 'CALERTS';
const ISSUE_ID = '1117540176';

const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/sentry/event_alert_triggered.docs.json', import.meta.url), 'utf8'),
) as { data: { event: { event_id: string } } };
const yaml = defaultConfigYaml().replace('aliases: [prod, capecraft]', 'aliases: [prod, capecraft, front-end]');

/** Another event of the same Sentry issue (a new event id, so not a duplicate delivery). */
function eventBody(i: number): Buffer {
  const copy = structuredClone(fixture);
  copy.data.event.event_id = `${fixture.data.event.event_id.slice(0, -4)}${String(i).padStart(4, '0')}`;
  return Buffer.from(JSON.stringify(copy));
}

async function postEvent(b: BootedApp, i: number): Promise<void> {
  const body = eventBody(i);
  const res = await fetch(`${b.url}/hooks/sentry`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'sentry-hook-resource': 'event_alert',
      'sentry-hook-signature': createHmac('sha256', SENTRY_SECRET).update(body).digest('hex'),
    },
    body,
  });
  expect(res.status).toBe(202);
}

/** Real time, shifted to the middle of a 5-minute bucket so every event of a test lands in one. */
function midBucketClock(): Clock {
  const real = Date.now();
  const offset = real - (Math.floor(real / ACTIVITY_BUCKET_MS) * ACTIVITY_BUCKET_MS + ACTIVITY_BUCKET_MS / 2);
  return { now: () => Date.now() - offset, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
}

const alertMessage = (b: BootedApp, count: number) =>
  until(
    () =>
      messages(b).find(
        (m) => m.channel === CHANNEL && buttonsOf(m).length > 0 && (m.text ?? '').includes(`×${count} `),
      ),
    `the alert message at ×${count}`,
  );

function imageUrlOf(m: StoredMessage): string | null {
  const img = (m.blocks as { type: string; image_url?: string }[]).find((x) => x.type === 'image');
  return img?.image_url ?? null;
}

const sparklineOf = (count: number) =>
  `📊 \`${'▁'.repeat(23)}█\` last 2 h, 5 min per bar · peak ${count} · now ${count}`;

describe('alert activity chart', () => {
  let b: BootedApp;
  afterEach(async () => b?.stop());

  it('the alert message links a chart the bot serves as a PNG, drawn from the store; a wrong token is a 404', async () => {
    b = await bootApp({
      configYaml: yaml,
      clock: midBucketClock(),
      env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET, PUBLIC_URL },
    });
    for (let i = 1; i <= 3; i++) await postEvent(b, i);
    const m = await alertMessage(b, 3);

    const url = imageUrlOf(m);
    expect(url).toMatch(/^https:\/\/autorisen-bot\.example\.com\/charts\/alerts\/[0-9a-f]{32}\.png\?v=3\.\d+$/);
    expect(url).not.toContain(ISSUE_ID);
    expect(textOf(m)).toContain(sparklineOf(3));
    expect(textOf(m)).toContain('Bar chart: this alert fired 3 times in the last 2 h');

    // Slack fetches PUBLIC_URL; the test fetches the same path from the bot's own port.
    const { pathname, search } = new URL(url!);
    const res = await fetch(`${b.url}${pathname}${search}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toContain('max-age=60');
    const png = decodePng(Buffer.from(await res.arrayBuffer()));
    expect([png.width, png.height]).toEqual([600, 160]);
    // All three events are in the latest bucket: its bar is the peak, in the highlight colour; the rest is empty.
    const { bars, baselineY } = chartLayout([...new Array<number>(23).fill(0), 3]);
    const latest = bars[23]!;
    expect(png.at(latest.x + 1, latest.y)).toBe(CHART_COLOR.latest);
    expect(png.at(latest.x + 1, baselineY - 1)).toBe(CHART_COLOR.latest);
    for (const bar of bars.slice(0, 23)) expect(png.at(bar.x + 1, baselineY - 1)).toBe(CHART_COLOR.background);

    // Unknown, malformed and path-shaped tokens all get the same 404.
    for (const bad of [
      '0123456789abcdef0123456789abcdef.png',
      `${pathname.slice(-36, -4).toUpperCase()}.png`,
      'sentry%3Aissue%3A1117540176.png',
      `${pathname.slice(-36, -4)}.gif`,
    ]) {
      const r = await fetch(`${b.url}/charts/alerts/${bad}`);
      expect(r.status, bad).toBe(404);
      expect(r.headers.get('content-type')).not.toBe('image/png');
    }
  });

  it('without PUBLIC_URL there is no image (Slack could not fetch it), but the sparkline still shows the picture', async () => {
    b = await bootApp({ configYaml: yaml, clock: midBucketClock(), env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET } });
    await postEvent(b, 1);
    const m = await alertMessage(b, 1);
    expect(imageUrlOf(m)).toBeNull();
    expect(textOf(m)).toContain(sparklineOf(1));
  });

  it('when Slack cannot download the chart, the alert is posted without it rather than held back', async () => {
    b = await bootApp({
      configYaml: yaml,
      clock: midBucketClock(),
      env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET, PUBLIC_URL },
    });
    b.slack.failNext('chat.postMessage', 'invalid_blocks');
    await postEvent(b, 1);
    const m = await alertMessage(b, 1);
    const [refused] = b.slack.callsTo('chat.postMessage');
    expect(refused!.error).toBe('invalid_blocks');
    expect(JSON.stringify(refused!.args.blocks)).toContain('"type":"image"');
    expect(imageUrlOf(m)).toBeNull();
    expect(textOf(m)).toContain(sparklineOf(1));
    expect(
      b.logs.some((l) => l.level === 40 && String(l.msg).includes('Slack could not download the alert activity chart')),
    ).toBe(true);
  });
});
