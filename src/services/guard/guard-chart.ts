import { sparkline } from '../../core/drain/stats.ts';
import { pick } from '../../core/guard/detector.ts';
import type { MetricVerdict } from '../../core/guard/guard-types.ts';
import type { GuardRecord } from '../../ports/stores/guards.ts';
import type { Config } from '../../config.ts';
import type { MessageBlock } from '../../core/message.ts';
import type { Store } from '../../ports/store.ts';
import { chartKey } from '../alerts/charts.ts';
import { METRICS_CHART_PATH, metricsChartFile } from '../drain/metrics-report.ts';
import { minuteStart } from '../drain/aggregate.ts';
import { countsOf } from './guard-counts.ts';

const MINUTE = 60_000;
/** Minutes of baseline shown before the change (the chart is one line of text). */
const BEFORE_MINUTES = 20;

/**
 * The tripped metric per minute, before and after the change, as a text chart for the trip message
 * ("before ▁▁▂▁▁▁ │ after ▆█"): one value per minute (the metric's rate), the change's minute
 * after the bar. Text, so it shows in Slack and the shell alike.
 */
export async function beforeAfterChart(
  store: Pick<Store, 'drainMetrics'>,
  g: GuardRecord,
  worst: MetricVerdict,
  now: number,
): Promise<string> {
  const change = minuteStart(g.startedAt);
  const rows = await store.drainMetrics.minutes(g.env, change - BEFORE_MINUTES * MINUTE, minuteStart(now) + MINUTE);
  const byMinute = new Map(rows.map((m) => [m.minute, m]));
  const rate = (t: number): number | null => {
    const m = byMinute.get(t);
    if (!m) return null;
    const p = pick(worst.metric, countsOf([m], 1, g.baseline.p95Ms, g.baseline.p99Ms));
    return p.exposure > 0 ? p.events / p.exposure : null;
  };
  const before: (number | null)[] = [];
  for (let t = change - BEFORE_MINUTES * MINUTE; t < change; t += MINUTE) before.push(rate(t));
  const after: (number | null)[] = [];
  for (let t = change; t <= minuteStart(now); t += MINUTE) after.push(rate(t));
  // One scale for both sides, so the jump is visible.
  const line = sparkline([...before, ...after]);
  return `before \`${line.slice(0, before.length)}\` │ after \`${line.slice(before.length)}\` (per minute, ${BEFORE_MINUTES} min before the change)`;
}

/**
 * The image of the drain around the change (p95, 5xx and memory per minute, the change marked), the
 * same signed chart `/autorisen metrics` links: from 30 minutes before the change to now. Null
 * without PUBLIC_URL (Slack fetches chart images from the bot) or a chart key.
 */
export function beforeAfterImage(
  config: Pick<Config, 'charts' | 'slack'>,
  g: GuardRecord,
  now: number,
): Extract<MessageBlock, { type: 'image' }> | null {
  const key = chartKey(config);
  const base = config.charts.publicUrl;
  if (!key || !base) return null;
  const file = metricsChartFile(key, g.env, minuteStart(g.startedAt) - 30 * MINUTE, minuteStart(now) + MINUTE);
  return {
    type: 'image',
    url: `${base}${METRICS_CHART_PATH}${file}`,
    alt: `${g.env}: p95 latency, 5xx and memory per minute, before and after ${g.label}`,
  };
}
