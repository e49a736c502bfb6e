import { afterEach, describe, expect, it } from 'vitest';
import { CHART_COLOR, chartLayout } from '../../src/adapters/charts/bar-chart.ts';
import { USERS } from '../drivers/boot-app.ts';
import { decodePng } from '../support/png-decode.ts';
import { type GuardWorld, guardWorld, MIN, PASSWORD } from './guard-harness.ts';

/**
 * Issue 21 §7: `/autorisen guard backtest` gives a table and a chart. With PUBLIC_URL the chart is a
 * PNG of false trips per day at a signed URL the bot serves (as /autorisen metrics does); without
 * it, a text sparkline.
 */
let w: GuardWorld;
afterEach(async () => w?.stop());

type Block = { type: string; image_url?: string; alt_text?: string; text?: { text: string } };

/** Three hours of healthy drain minutes ending now, with three bad minutes two hours ago. */
async function historyWithASpike() {
  const now = w.clock.now();
  const start = Math.floor(now / MIN) * MIN - 180 * MIN;
  for (let m = 0; m < 180; m++) {
    const spike = m >= 60 && m < 63;
    await w.post(start + m * MIN, { n: 40, errorsInside: spike ? 15 : m % 4 === 0 ? 1 : 0 });
  }
}

describe('guard backtest chart', () => {
  it('with PUBLIC_URL: the table and a signed PNG of false trips per day, which decodes', async () => {
    w = await guardWorld({ env: { LOGDRAIN_PASSWORD_STAGING: PASSWORD, PUBLIC_URL: 'https://bot.example.com' } });
    await historyWithASpike();
    const res = await w.b.driver.command('guard backtest staging --since 1d', {
      userId: USERS.vic,
      channelId: 'CROLLOUT',
    });
    const body = await w.b.slack.answerTo(res);
    const blocks = (typeof body.blocks === 'string' ? JSON.parse(body.blocks) : body.blocks) as Block[];
    const image = blocks.find((b) => b.type === 'image')!;
    expect(image.image_url).toMatch(
      /^https:\/\/bot\.example\.com\/charts\/guard-backtest\/staging\.\d+\.\d+\.[0-9a-f]{32}\.png$/,
    );
    expect(image.alt_text).toMatch(/false trips per day/);
    expect(JSON.stringify(blocks)).toMatch(/Change-free: \d+ windows .* [1-9]\d* false trips?/);
    expect(String(body.text)).not.toMatch(/[▁▂▃▄▅▆▇█]/);

    const path = new URL(image.image_url!).pathname;
    const got = await fetch(`${w.b.url}${path}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    const png = decodePng(Buffer.from(await got.arrayBuffer()));
    expect([png.width, png.height]).toEqual([600, 160]);
    // The spike's day has a bar: its pixels are in the bar (or "latest") colour above the baseline.
    const days = (image.alt_text!.match(/\(([\d ]+)\)/)?.[1] ?? '').split(' ').map(Number);
    const layout = chartLayout(days);
    const tripped = layout.bars.find((b) => b.value > 0)!;
    expect(tripped).toBeDefined();
    const colour = png.at(tripped.x + 1, tripped.y + 1);
    expect([CHART_COLOR.bar, CHART_COLOR.latest]).toContain(colour);

    // A name the bot did not sign is a plain 404.
    const forged = path.replace(/[0-9a-f]{32}\.png$/, `${'0'.repeat(32)}.png`);
    expect((await fetch(`${w.b.url}${forged}`)).status).toBe(404);
  });

  it('without PUBLIC_URL: text only, the false trips per day as a sparkline', async () => {
    w = await guardWorld();
    await historyWithASpike();
    // A second day of history, so there are two days to draw.
    w.clock.advance(24 * 60 * MIN);
    await historyWithASpike();
    const text = await w.say(USERS.vic, 'guard backtest staging --since 2d');
    expect(text).toMatch(/False trips per day: [▁▂▃▄▅▆▇█ ]+ \(\d+ \d+/);
    expect(text).not.toMatch(/charts\/guard-backtest/);
  });
});
