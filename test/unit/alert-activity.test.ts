import { describe, expect, it } from 'vitest';
import {
  activityAlt,
  activityCaption,
  activityWindow,
  bucketize,
  minuteOf,
  sparkline,
} from '../../src/core/alerts/activity.ts';
import { renderAlert } from '../../src/core/alerts/messages.ts';
import { renderMessage } from '../../src/adapters/slack/blocks/render.ts';
import { renderText } from '../../src/dev/render-text.ts';
import { alertGroup, testSentryAlert } from '../support/alert-group.ts';
import { chartKey, chartPath, chartToken, CHART_TOKEN } from '../../src/services/alerts/charts.ts';

const MIN = 60_000;
/** 2024-05-01 10:07:30 UTC: 2½ minutes into the 10:05 bucket. */
const NOW = Date.UTC(2024, 4, 1, 10, 7, 30);

describe('activity buckets', () => {
  it('cover the last 2 hours in 5-minute buckets aligned to the clock, now in the last', () => {
    const { start, end } = activityWindow(NOW);
    expect(new Date(end).toISOString()).toBe('2024-05-01T10:10:00.000Z');
    expect(new Date(start).toISOString()).toBe('2024-05-01T08:10:00.000Z');
    const rows = [
      { minute: start - MIN, count: 50 }, // before the window: not shown
      { minute: start, count: 1 },
      { minute: start + 4 * MIN, count: 2 }, // same first bucket
      { minute: minuteOf(NOW - 10 * MIN), count: 3 }, // 09:57 → bucket 09:55
      { minute: minuteOf(NOW), count: 4 }, // 10:07 → last
    ];
    const b = bucketize(rows, NOW);
    expect(b).toHaveLength(24);
    expect(b[0]).toBe(3);
    expect(b[21]).toBe(3);
    expect(b[23]).toBe(4);
    expect(b.reduce((x, y) => x + y, 0)).toBe(10);
  });

  it('draw as a sparkline where any activity stands above none', () => {
    expect(sparkline([0, 1, 8, 4])).toBe('▁▂█▅');
    expect(sparkline([0, 1, 100])).toBe('▁▂█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
  });

  it('read as words for text-only readers and screen readers', () => {
    const v = [...new Array<number>(22).fill(0), 12, 3];
    expect(activityCaption(v)).toBe(`📊 \`${'▁'.repeat(22)}█▃\` last 2 h, 5 min per bar · peak 12 · now 3`);
    expect(activityAlt(v)).toBe(
      'Bar chart: this alert fired 15 times in the last 2 h (5 min per bar), peak 12 in one bar, 3 in the latest.',
    );
  });
});

describe('chart tokens', () => {
  const config = (secret: string | null) => ({
    charts: { publicUrl: 'https://bot.example.com', secret },
    slack: { botToken: null, signingSecret: 'signing-secret-0123456789', appToken: null, apiUrl: '' },
  });

  it('are 128-bit hex HMACs that never show the fingerprint and change with the secret', () => {
    const key = chartKey(config(null))!;
    const t = chartToken(key, 'sentry:issue:1117540176');
    expect(t).toMatch(CHART_TOKEN);
    expect(t).toBe(chartToken(key, 'sentry:issue:1117540176'));
    expect(t).not.toBe(chartToken(key, 'sentry:issue:1117540177'));
    expect(chartPath(t)).toBe(`/charts/alerts/${t}.png`);
    expect(chartPath(t)).not.toContain('1117540176');
    const other = chartToken(chartKey(config('a-dedicated-chart-secret'))!, 'sentry:issue:1117540176');
    expect(other).not.toBe(t);
    // The key is derived, not the secret itself.
    expect(key.toString('utf8')).not.toContain('signing-secret');
  });

  it('need a secret', () => {
    expect(
      chartKey({
        charts: { publicUrl: null, secret: null },
        slack: { botToken: null, signingSecret: null, appToken: null, apiUrl: '' },
      }),
    ).toBeNull();
  });
});

describe('the alert message shows its activity', () => {
  const group = alertGroup(testSentryAlert({ project: 'front-end' }), NOW, { count: 5, firstSeen: NOW - 30 * MIN });
  const activity = [...new Array<number>(21).fill(0), 1, 0, 4];

  it('as an image block and a sparkline caption when the chart has a URL', () => {
    const m = renderAlert(group, NOW, { activity, imageUrl: 'https://bot.example.com/charts/alerts/abc.png?v=5.1' });
    const image = m.blocks!.find((b) => b.type === 'image');
    expect(image).toEqual({
      type: 'image',
      url: 'https://bot.example.com/charts/alerts/abc.png?v=5.1',
      alt: expect.stringContaining('fired 5 times'),
    });
    const slack = renderMessage(m, { iteration: 't' });
    expect(slack.blocks.find((b) => b.type === 'image')).toMatchObject({
      image_url: 'https://bot.example.com/charts/alerts/abc.png?v=5.1',
    });
    expect(JSON.stringify(slack.blocks)).toContain('▁▃▁█');
  });

  it('as a sparkline only without a URL, which the local shell prints as text', () => {
    const m = renderAlert(group, NOW, { activity, imageUrl: null });
    expect(m.blocks!.some((b) => b.type === 'image')).toBe(false);
    expect(renderText(m)).toContain('📊 ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▃▁█ last 2 h, 5 min per bar · peak 4 · now 4');
  });

  it('not at all when no activity was given', () => {
    const m = renderAlert(group, NOW);
    expect(JSON.stringify(m.blocks)).not.toContain('📊');
  });
});
