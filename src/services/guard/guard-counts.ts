import type * as hdr from 'hdr-histogram-js';
import { dispersions } from '../../core/guard/dispersion.ts';
import { emptyCounts, type GuardBaseline, type GuardCounts, type GuardMetric } from '../../core/guard/guard-types.ts';
import type { DrainMinute } from '../../ports/stores/drain-metrics.ts';
import { addEncoded, newHistogram } from '../drain/histogram.ts';

/** The drain's minute aggregates as the guard's counts (issue 21): what src/core/guard/ reads. */

/** How many recorded values are above `v` (hdr reports a bucket by its top, as the quantiles are). */
export function countAbove(h: hdr.Histogram, v: number): number {
  const n = h.totalCount;
  if (n === 0) return 0;
  // The largest c with "the c-th smallest value ≤ v"; getValueAtPercentile asks for ceil(p·n/100) values.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const c = Math.ceil((lo + hi + 1) / 2);
    if (h.getValueAtPercentile(((c - 0.5) * 100) / n) <= v) lo = c;
    else hi = c - 1;
  }
  return n - lo;
}

function mergedLatency(minutes: readonly DrainMinute[]): hdr.Histogram {
  const h = newHistogram();
  for (const m of minutes) addEncoded(h, m.latency);
  return h;
}

function routerCodes(codes: Record<string, number>): { router: number; memory: number } {
  let router = 0;
  let memory = 0;
  for (const [code, n] of Object.entries(codes)) {
    if (code.startsWith('H')) router += n;
    else if (code === 'R14' || code === 'R15') memory += n;
  }
  return { router, memory };
}

/** Counts of `minutes` over a span of `spanMinutes`, slow requests judged against the baseline's values. */
export function countsOf(
  minutes: readonly DrainMinute[],
  spanMinutes: number,
  p95Ms: number | null,
  p99Ms: number | null,
): GuardCounts {
  const c = emptyCounts(spanMinutes);
  for (const m of minutes) {
    c.requests += m.requests;
    c.requestsInside += m.requestsInside;
    c.status5xx += m.status5xx;
    c.status5xxInside += m.status5xxInside;
    c.authInside += m.auth401Inside + m.auth403Inside;
    const codes = routerCodes(m.codes);
    c.routerErrors += codes.router;
    c.memoryErrors += codes.memory;
  }
  const h = mergedLatency(minutes);
  c.timed = h.totalCount;
  c.slowP95 = p95Ms === null ? 0 : countAbove(h, p95Ms);
  c.slowP99 = p99Ms === null ? 0 : countAbove(h, p99Ms);
  return c;
}

/** The baseline of a change from the minutes before the change's minute. */
export function baselineOf(
  minutes: readonly DrainMinute[],
  spanMinutes: number,
  metrics: readonly GuardMetric[],
): GuardBaseline {
  const h = mergedLatency(minutes);
  const p95Ms = h.totalCount > 0 ? h.getValueAtPercentile(95) : null;
  const p99Ms = h.totalCount > 0 ? h.getValueAtPercentile(99) : null;
  const perMinute = minutes.map((m) => countsOf([m], 1, p95Ms, p99Ms));
  return {
    counts: countsOf(minutes, spanMinutes, p95Ms, p99Ms),
    p95Ms,
    p99Ms,
    dispersion: dispersions(perMinute, metrics),
  };
}
