/**
 * The guard's vocabulary (issue 21), pure: what it counts, what it compares against and what it
 * concludes. The detector (detector.ts) turns a baseline and the counts since a change into a
 * verdict per metric; services/guard/ feeds it from the drain's minute aggregates.
 */

/** Every metric the guard can watch; each is an event count over an exposure (requests or minutes). */
export const GUARD_METRICS = [
  'error_ratio',
  'error_ratio_autorisen',
  'auth_autorisen',
  'p95_latency',
  'p99_latency',
  'router_errors',
  'memory_errors',
] as const;
export type GuardMetric = (typeof GUARD_METRICS)[number];

/** Cumulative counts over a span of drain minutes (the baseline, or the time since the change). */
export interface GuardCounts {
  /** Length of the span in minutes (may be fractional while the current minute fills). */
  minutes: number;
  requests: number;
  /** Requests under `/api/autorisen/`. */
  requestsInside: number;
  status5xx: number;
  status5xxInside: number;
  /** 401 + 403 under `/api/autorisen/`. */
  authInside: number;
  /** Router H-codes (H10, H12, …), all together. */
  routerErrors: number;
  /** Dyno R14 + R15 (memory quota exceeded). */
  memoryErrors: number;
  /** Requests that reported a latency. */
  timed: number;
  /** Requests slower than the baseline's p95 (p99) value. */
  slowP95: number;
  slowP99: number;
}

/** The "before": counts just before the change and the latency values the "slow" counts use. */
export interface GuardBaseline {
  counts: GuardCounts;
  /** The baseline's p95 / p99 latency, ms; null without latency data. */
  p95Ms: number | null;
  p99Ms: number | null;
  /** Per metric, how much burstier than Poisson the baseline's minutes were (≥ 1; absent = 1). */
  dispersion: Partial<Record<GuardMetric, number>>;
}

/** The detector's settings; every one is a config key (src/config/guard-schema.ts). */
export interface GuardThresholds {
  /** Chance of a false trip over the whole window, all metrics together (Bonferroni split). */
  falseAlarm: number;
  /** One-sided confidence of the upper bound put on each baseline rate. */
  baselineConfidence: number;
  /** Regressions smaller than this multiple of the baseline bound are not the guard's business. */
  tolerance: number;
  /** The same for the latency metrics: a one-minute slowdown is common, a doubling is not. */
  latencyTolerance: number;
  /** Effect sizes (multiples of the null rate) the mixture test averages over. */
  effects: readonly number[];
  /** One-sided confidence of the upper bound put on each baseline dispersion. */
  dispersionConfidence: number;
  /** The least dispersion assumed (1 = Poisson): errors come in clumps even when a baseline shows few. */
  minDispersion: number;
  /** Never trip on fewer events than this since the change. */
  minEvents: number;
  /**
   * No single minute decides: a metric trips only if its test still reaches the level with the
   * worst minute since the change left out, so one clump of errors is not a regression.
   */
  requireTwoMinutes: boolean;
  /** A rate needs at least this many baseline requests to be known. */
  minBaselineRequests: number;
  /** Latency: at least this many baseline requests above the quantile (so p99 needs ~100×). */
  minBaselineSlow: number;
  /** No verdict on a request metric before this many requests since the change. */
  minAfterRequests: number;
  /** Which metrics are watched. */
  metrics: readonly GuardMetric[];
}

export type MetricStatus = 'ok' | 'regressed' | 'insufficient';

/** One metric's verdict with its evidence. */
export interface MetricVerdict {
  metric: GuardMetric;
  status: MetricStatus;
  /** Events and exposure (requests, or minutes for memory) in the baseline and since the change. */
  baseline: { events: number; exposure: number; rate: number | null };
  now: { events: number; exposure: number; rate: number | null };
  /** The rate the test holds "no regression" to (baseline upper bound × tolerance); null when insufficient. */
  bound: number | null;
  /** The baseline's dispersion the counts were divided by (1 = Poisson). */
  dispersion: number;
  /** log of the mixture likelihood ratio, and the level it must reach to trip. */
  score: number;
  threshold: number;
  /** Why insufficient ("baseline has 40 requests, needs 300"), else null. */
  reason: string | null;
}

/** The whole look: regressed if any metric is; insufficient if no metric could be judged. */
export interface GuardVerdict {
  status: MetricStatus;
  metrics: MetricVerdict[];
  /** The metric furthest past its threshold when regressed, else null. */
  worst: MetricVerdict | null;
}

/** A guard's view of counts as zero (a fresh span). */
export function emptyCounts(minutes = 0): GuardCounts {
  return {
    minutes,
    requests: 0,
    requestsInside: 0,
    status5xx: 0,
    status5xxInside: 0,
    authInside: 0,
    routerErrors: 0,
    memoryErrors: 0,
    timed: 0,
    slowP95: 0,
    slowP99: 0,
  };
}

/** Sum of two spans' counts. */
export function addCounts(a: GuardCounts, b: GuardCounts): GuardCounts {
  const out = emptyCounts(a.minutes + b.minutes);
  for (const k of Object.keys(out) as (keyof GuardCounts)[]) if (k !== 'minutes') out[k] = a[k] + b[k];
  return out;
}
