import type { EnvironmentConfig } from '../../config.ts';
import type { ChangeMark, WindowStats } from '../../core/drain/stats.ts';
import { describeComparison } from '../../core/drain/stats.ts';
import type { WindowFn } from '../../core/drain/rules.ts';
import type { DrainMinute } from '../../ports/stores/drain-metrics.ts';
import type { Store } from '../../ports/store.ts';
import { minuteStart } from './aggregate.ts';
import { changesBetween } from './changes.ts';
import { summarize } from './summary.ts';

const MINUTE = 60_000;

/** Stats of windows ending with the minute of `now` (the current, partial minute included). */
export function windowFn(minutes: readonly DrainMinute[], now: number): WindowFn {
  const end = minuteStart(now) + MINUTE;
  return (n, back = 0) => {
    const to = end - back * n * MINUTE;
    const from = to - n * MINUTE;
    return summarize(minutes.filter((m) => m.minute >= from && m.minute < to));
  };
}

/** Before/after of one change: `span` minutes each side (after: up to now). */
export async function compareAround(
  store: Pick<Store, 'drainMetrics'>,
  change: ChangeMark,
  spanMinutes: number,
  now: number,
): Promise<{ before: WindowStats; after: WindowStats; text: string }> {
  const start = minuteStart(change.at);
  const span = spanMinutes * MINUTE;
  // The change's own minute is mixed, so it belongs to neither side.
  const rows = await store.drainMetrics.minutes(
    change.env,
    start - span,
    Math.min(start + MINUTE + span, now + MINUTE),
  );
  const before = summarize(rows.filter((m) => m.minute < start));
  const after = summarize(rows.filter((m) => m.minute > start));
  return { before, after, text: describeComparison(change, before, after, now) };
}

/** The latest change of `env` within `lookbackMinutes`, compared before/after; null when none. */
export async function latestComparison(
  store: Pick<Store, 'drainMetrics' | 'workflows' | 'releases'>,
  env: Pick<EnvironmentConfig, 'name' | 'herokuApp'>,
  lookbackMinutes: number,
  spanMinutes: number,
  now: number,
): Promise<{ change: ChangeMark; text: string } | null> {
  const changes = await changesBetween(store, env, now - lookbackMinutes * MINUTE, now + 1);
  const change = changes.at(-1);
  if (!change) return null;
  return { change, text: (await compareAround(store, change, spanMinutes, now)).text };
}
