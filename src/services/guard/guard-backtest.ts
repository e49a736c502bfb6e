import type { GuardEnvConfig } from '../../config/guard-schema.ts';
import type { EnvironmentConfig } from '../../config.ts';
import { detect } from '../../core/guard/detector.ts';
import { addCounts, emptyCounts, type GuardCounts } from '../../core/guard/guard-types.ts';
import type { BacktestChange, BacktestReport } from '../../ports/guard.ts';
import type { DrainMinute } from '../../ports/stores/drain-metrics.ts';
import type { Store } from '../../ports/store.ts';
import { minuteStart } from '../drain/aggregate.ts';
import { changesBetween } from '../drain/changes.ts';
import { baselineOf, countsOf } from './guard-counts.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The same detector over the stored minute aggregates (issue 21 §7): at each past change, would
 * the guard have tripped and when (looking once a minute, as minute aggregates allow: a little
 * later than the live guard's 10 s looks); and over change-free times, how often it would have
 * tripped falsely, with a pretend change at the start of every change-free window.
 */
export async function backtest(
  store: Pick<Store, 'drainMetrics' | 'workflows' | 'releases'>,
  env: Pick<EnvironmentConfig, 'name' | 'herokuApp'>,
  cfg: GuardEnvConfig,
  since: number,
  until: number,
): Promise<Omit<BacktestReport, 'chartUrl'>> {
  const from = minuteStart(since) - cfg.baselineMinutes * MINUTE;
  const rows = await store.drainMetrics.minutes(env.name, from, until);
  const byMinute = new Map(rows.map((m) => [m.minute, m]));
  const changes = await changesBetween(store, env, since, until);
  const replay = (at: number): Omit<BacktestChange, 'at' | 'label'> => {
    const start = minuteStart(at);
    const before: DrainMinute[] = [];
    for (let t = start - cfg.baselineMinutes * MINUTE; t < start; t += MINUTE) {
      const m = byMinute.get(t);
      if (m) before.push(m);
    }
    const baseline = baselineOf(before, cfg.baselineMinutes, cfg.thresholds.metrics);
    let total: GuardCounts = emptyCounts();
    const perMinute: GuardCounts[] = [];
    let last: 'ok' | 'insufficient' = 'insufficient';
    for (let k = 0; k < cfg.windowMinutes && start + k * MINUTE < until; k++) {
      const m = byMinute.get(start + k * MINUTE);
      perMinute.push(m ? countsOf([m], 1, baseline.p95Ms, baseline.p99Ms) : emptyCounts(1));
      total = addCounts(total, perMinute.at(-1)!);
      const v = detect(baseline, total, cfg.thresholds, perMinute);
      if (v.status === 'regressed') return { trippedAfterMin: k + 1, metric: v.worst!.metric, verdict: 'tripped' };
      last = v.status;
    }
    return { trippedAfterMin: null, metric: null, verdict: last };
  };
  const out: BacktestChange[] = changes.map((c) => ({ at: c.at, label: c.label, ...replay(c.at) }));
  // Change-free windows: a window's length with no change within a baseline before or a window after.
  const span = cfg.windowMinutes * MINUTE;
  const days = new Map<number, { trips: number; windows: number }>();
  let quietWindows = 0;
  let quietTrips = 0;
  for (let t = minuteStart(since); t + span <= until; t += span) {
    const near = changes.some((c) => c.at >= t - cfg.baselineMinutes * MINUTE && c.at < t + span);
    if (near || !byMinute.has(t)) continue;
    const r = replay(t);
    if (r.verdict === 'insufficient') continue;
    quietWindows++;
    const day = Math.floor(t / DAY) * DAY;
    const d = days.get(day) ?? { trips: 0, windows: 0 };
    d.windows++;
    if (r.verdict === 'tripped') {
      quietTrips++;
      d.trips++;
    }
    days.set(day, d);
  }
  return {
    env: env.name,
    since,
    until,
    changes: out,
    quietWindows,
    quietTrips,
    quietDays: (quietWindows * span) / DAY,
    tripsPerDay: [...days.entries()].sort((a, b) => a[0] - b[0]).map(([day, d]) => ({ day, ...d })),
  };
}
