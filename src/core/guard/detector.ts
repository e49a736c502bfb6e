import type {
  GuardBaseline,
  GuardCounts,
  GuardMetric,
  GuardThresholds,
  GuardVerdict,
  MetricVerdict,
} from './guard-types.ts';
import { MAX_DISPERSION } from './dispersion.ts';
import { type Picked, pick } from './metric-counts.ts';
import { chiSquareQuantile, logMixtureRatio, poissonUpper } from './sequential.ts';

/**
 * The guard's decision, pure: one look at the counts since a change against the baseline. Each
 * metric is a count of events over an exposure, tested by the mixture SPRT in sequential.ts
 * against a null rate = tolerance × (upper confidence bound of the baseline rate). The false-alarm
 * budget is split evenly over the watched metrics, so the chance that any of them ever trips
 * during the window, however often the guard looks, is at most `falseAlarm` (docs/GUARD.md).
 */

// What each metric counts lives in metric-counts.ts (dispersion.ts needs it too); re-exported here.
export { pick } from './metric-counts.ts';

function isLatency(metric: GuardMetric): boolean {
  return metric === 'p95_latency' || metric === 'p99_latency';
}

/** log(1/α) per metric: the level a metric's log Λ must reach. */
export function tripLevel(t: GuardThresholds): number {
  return Math.log(Math.max(1, t.metrics.length) / t.falseAlarm);
}

/** The null rate of a metric from its baseline (events per unit exposure), counts clumped by `phi`. */
export function nullRate(baseline: Picked, t: GuardThresholds, phi = 1, tolerance = t.tolerance): number {
  return (tolerance * phi * poissonUpper(baseline.events / phi, t.baselineConfidence)) / baseline.exposure;
}

function insufficientReason(metric: GuardMetric, b: Picked, a: Picked, base: GuardBaseline, t: GuardThresholds) {
  if (b.perRequest && b.exposure < t.minBaselineRequests)
    return `the baseline has ${b.exposure} requests, needs ${t.minBaselineRequests}`;
  if (!b.perRequest && b.exposure <= 0) return 'no baseline minutes';
  if (
    isLatency(metric) &&
    ((metric === 'p95_latency' ? base.p95Ms : base.p99Ms) === null || b.events < t.minBaselineSlow)
  )
    return `the baseline has ${b.events} requests above its ${metric === 'p95_latency' ? 'p95' : 'p99'}, needs ${t.minBaselineSlow}`;
  if (a.perRequest && a.exposure < t.minAfterRequests)
    return `${a.exposure} requests since the change, needs ${t.minAfterRequests}`;
  return null;
}

/**
 * The metric's events and exposure since the change without its worst minute (the one with the
 * most events), or null when the rule is off or the caller has no minutes to give.
 */
function withoutWorstMinute(metric: GuardMetric, a: Picked, perMinute: readonly GuardCounts[] | undefined) {
  if (!perMinute || perMinute.length === 0) return null;
  const worst = perMinute.map((m) => pick(metric, m)).reduce((w, p) => (p.events > w.events ? p : w));
  return { events: a.events - worst.events, exposure: Math.max(0, a.exposure - worst.exposure) };
}

/**
 * The dispersion the counts are divided by: an upper confidence bound on the baseline's (Pearson
 * χ² over df = minutes − 1 is about φ·χ²(df)/df), as the rate's is. At low traffic an hour holds
 * a handful of clumps and the point estimate is often half the truth (docs/GUARD.md).
 */
export function dispersionBound(baseline: GuardBaseline, metric: GuardMetric, t: GuardThresholds): number {
  const estimate = baseline.dispersion[metric] ?? 1;
  const df = Math.round(baseline.counts.minutes) - 1;
  const upper = df >= 2 ? (estimate * df) / chiSquareQuantile(df, 1 - t.dispersionConfidence) : estimate;
  return Math.round(Math.max(1, t.minDispersion, Math.min(MAX_DISPERSION, upper)) * 1000) / 1000;
}

/** One metric's verdict; `perMinute` are the minutes since the change (for `requireTwoMinutes`). */
export function judgeMetric(
  metric: GuardMetric,
  baseline: GuardBaseline,
  after: GuardCounts,
  t: GuardThresholds,
  perMinute?: readonly GuardCounts[],
): MetricVerdict {
  const b = pick(metric, baseline.counts);
  const a = pick(metric, after);
  const rate = (p: Picked) => (p.exposure > 0 ? p.events / p.exposure : null);
  const threshold = tripLevel(t);
  const common = {
    metric,
    baseline: { events: b.events, exposure: b.exposure, rate: rate(b) },
    now: { events: a.events, exposure: a.exposure, rate: rate(a) },
    threshold,
  };
  const dispersion = dispersionBound(baseline, metric, t);
  const reason = insufficientReason(metric, b, a, baseline, t);
  if (reason !== null) return { ...common, status: 'insufficient', bound: null, dispersion, score: 0, reason };
  const bound = nullRate(b, t, dispersion, isLatency(metric) ? t.latencyTolerance : t.tolerance);
  // Quasi-Poisson: clumps of about `dispersion` events count as one (dispersion.ts).
  const scoreOf = (p: { events: number; exposure: number }) =>
    logMixtureRatio(p.events / dispersion, (bound * p.exposure) / dispersion, t.effects);
  // Leaving the worst minute out only removes trips, so the false-alarm bound stands (docs/GUARD.md).
  const rest = t.requireTwoMinutes ? withoutWorstMinute(metric, a, perMinute) : null;
  const score = Math.min(scoreOf(a), rest ? scoreOf(rest) : Number.POSITIVE_INFINITY);
  const regressed = a.events >= t.minEvents && score >= threshold;
  return { ...common, status: regressed ? 'regressed' : 'ok', bound, dispersion, score, reason: null };
}

/** Every watched metric's verdict, and the look's (`perMinute`: the minutes since the change, summing to `after`). */
export function detect(
  baseline: GuardBaseline,
  after: GuardCounts,
  t: GuardThresholds,
  perMinute?: readonly GuardCounts[],
): GuardVerdict {
  const metrics = t.metrics.map((m) => judgeMetric(m, baseline, after, t, perMinute));
  const regressed = metrics.filter((m) => m.status === 'regressed');
  if (regressed.length > 0) {
    const worst = regressed.reduce((w, m) => (m.score - m.threshold > w.score - w.threshold ? m : w));
    return { status: 'regressed', metrics, worst };
  }
  // Memory is judged per minute, so it is always "judged": traffic is what the request metrics saw.
  const judged = metrics.some((m) => m.status === 'ok' && m.metric !== 'memory_errors');
  return { status: judged ? 'ok' : 'insufficient', metrics, worst: null };
}
