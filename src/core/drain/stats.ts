/**
 * Health over a window of drain minutes, and how it is said, pure. The numbers come from
 * services/drain/summary.ts (which merges the latency histograms); here they are compared with
 * thresholds and with each other around a change ("p95 180 → 410 ms").
 */

/** What a window of minutes adds up to. */
export interface WindowStats {
  /** Minutes with any data. */
  minutes: number;
  requests: number;
  status5xx: number;
  /** 5xx / requests, 0..1; null without requests. */
  errorRatio: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  auth401Inside: number;
  auth401Outside: number;
  auth403Inside: number;
  auth403Outside: number;
  codes: Record<string, number>;
  /** Highest memory of any dyno as a share of its quota, 0..n; null when no dyno reported a quota. */
  memoryRatio: number | null;
  /** The dyno with that peak. */
  memoryDyno: string | null;
  memoryMaxMb: number | null;
  loadMax: number | null;
}

/** A deploy, rollback or flag flip, as a marker on charts and the origin of before/after. */
export interface ChangeMark {
  env: string;
  kind: 'deploy' | 'rollback' | 'flag';
  at: number;
  /** Short phrase for "since <label> …": "FEATURE_AUTORISEN went on", "deploy of 1a2b3c4 (v42)". */
  label: string;
  /** Stable id for the follow-up claim ("flag:production:v42", "deploy:<id>"). */
  key: string;
  /** Where the change's own message is, when known, to answer in its thread. */
  thread: { channel: string; ts: string } | null;
}

export function pct(ratio: number | null, digits = 1): string {
  return ratio === null ? '–' : `${(ratio * 100).toFixed(ratio < 0.001 && ratio > 0 ? 2 : digits)}%`;
}

export function msText(v: number | null): string {
  if (v === null) return '–';
  // The histograms keep 2 significant digits (HdrHistogram reports a bucket's top: 903 for 900), so say no more.
  if (v >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  return `${v >= 100 ? Number(v.toPrecision(2)) : Math.round(v)} ms`;
}

/** "12 min ago", "2 h 5 min ago". */
export function ago(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} min ago`;
  return `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''} ago`;
}

/** "×3", "×0.5", "new" (none before), "=" (none either side). */
export function factor(before: number, after: number): string {
  if (before === 0) return after === 0 ? '=' : 'new';
  const f = after / before;
  return `×${f >= 10 ? Math.round(f) : f.toFixed(f < 1 ? 2 : 1).replace(/\.0$/, '')}`;
}

/**
 * The before/after sentence: "since FEATURE_AUTORISEN went on 12 min ago: p95 180 → 410 ms,
 * 5xx 0.1% → 2.3%, 401s on /api/autorisen 4 → 12 (×3)". Without data on one side it says so.
 */
export function describeComparison(change: ChangeMark, before: WindowStats, after: WindowStats, now: number): string {
  const head = `since ${change.label} ${ago(now - change.at)}`;
  if (before.minutes === 0 && after.minutes === 0) return `${head}: no log drain data on either side`;
  const parts: string[] = [];
  parts.push(`p95 ${msText(before.p95)} → ${msText(after.p95)}`);
  parts.push(`5xx ${pct(before.errorRatio)} → ${pct(after.errorRatio)}`);
  const b401 = before.auth401Inside;
  const a401 = after.auth401Inside;
  parts.push(`401s on /api/autorisen ${b401} → ${a401}${b401 > 0 && a401 !== b401 ? ` (${factor(b401, a401)})` : ''}`);
  if (before.memoryRatio !== null || after.memoryRatio !== null)
    parts.push(`memory ${pct(before.memoryRatio, 0)} → ${pct(after.memoryRatio, 0)} of quota`);
  parts.push(`requests ${before.requests} → ${after.requests}`);
  return `${head}: ${parts.join(', ')}`;
}

/** Unicode block sparkline of `values` (null = gap), for text transports. */
export function sparkline(values: readonly (number | null)[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const nums = values.filter((v): v is number => v !== null);
  if (nums.length === 0) return values.map(() => ' ').join('');
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  return values
    .map((v) => (v === null ? ' ' : bars[hi === lo ? 0 : Math.round(((v - lo) / (hi - lo)) * (bars.length - 1))]!))
    .join('');
}
