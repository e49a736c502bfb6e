import { createRequire } from 'node:module';
import type * as Hdr from 'hdr-histogram-js';
import type { DrainMinute } from '../../ports/stores/drain-metrics.ts';

/**
 * Latency histograms (HdrHistogram, via hdr-histogram-js): one per environment-minute, stored in
 * the library's compressed base64 form so any window of minutes merges into one histogram and its
 * percentiles are exact to 2 significant digits, rather than averaging per-minute percentiles.
 */

let loaded: typeof Hdr | undefined;
/**
 * hdr-histogram-js, loaded at first use rather than at boot (docs/BENCHMARKS.md, start-up): only a
 * bot that receives a log drain needs it. A CommonJS package, so `require` loads it synchronously
 * and these functions stay synchronous.
 */
function hdrLib(): typeof Hdr {
  loaded ??= createRequire(import.meta.url)('hdr-histogram-js') as typeof Hdr;
  return loaded;
}

/** 1 ms to 1 h: Heroku's router ends requests at 30 s (H12) but streaming responses may run longer. */
const HIGHEST_MS = 3_600_000;

/** A fresh, empty latency histogram (pure JS, no WebAssembly, so nothing to free). */
export function newHistogram(): Hdr.Histogram {
  return hdrLib().build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_MS,
    numberOfSignificantValueDigits: 2,
  });
}

/** Record one latency in ms (clamped into the trackable range). */
export function recordLatency(h: Hdr.Histogram, ms: number): void {
  h.recordValue(Math.min(HIGHEST_MS, Math.max(1, Math.round(ms))));
}

export function encodeHistogram(h: Hdr.Histogram): string {
  return h.totalCount === 0 ? '' : hdrLib().encodeIntoCompressedBase64(h);
}

/** Add an encoded histogram ('' = empty) into `into`. */
export function addEncoded(into: Hdr.Histogram, encoded: string): void {
  if (encoded === '') return;
  into.add(hdrLib().decodeFromCompressedBase64(encoded));
}

/** Merge two partial aggregates of the same environment-minute. */
export function mergeMinutes(a: DrainMinute, b: DrainMinute): DrainMinute {
  let latency = a.latency || b.latency;
  if (a.latency && b.latency) {
    const h = hdrLib().decodeFromCompressedBase64(a.latency);
    addEncoded(h, b.latency);
    latency = encodeHistogram(h);
  }
  const codes = { ...a.codes };
  for (const [k, v] of Object.entries(b.codes)) codes[k] = (codes[k] ?? 0) + v;
  const memory = { ...a.memory };
  for (const [dyno, m] of Object.entries(b.memory)) {
    const prev = memory[dyno];
    memory[dyno] = prev ? { maxMb: Math.max(prev.maxMb, m.maxMb), quotaMb: m.quotaMb ?? prev.quotaMb } : m;
  }
  const max = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.max(x, y));
  return {
    env: a.env,
    minute: a.minute,
    requests: a.requests + b.requests,
    status5xx: a.status5xx + b.status5xx,
    requestsInside: a.requestsInside + b.requestsInside,
    status5xxInside: a.status5xxInside + b.status5xxInside,
    auth401Inside: a.auth401Inside + b.auth401Inside,
    auth401Outside: a.auth401Outside + b.auth401Outside,
    auth403Inside: a.auth403Inside + b.auth403Inside,
    auth403Outside: a.auth403Outside + b.auth403Outside,
    codes,
    latency,
    memory,
    loadMax: max(a.loadMax, b.loadMax),
    pgConnections: max(a.pgConnections, b.pgConnections),
    // Size is a level, not a peak: the later report wins.
    pgDbBytes: b.pgDbBytes ?? a.pgDbBytes,
  };
}

/** Percentiles of the merged latency of `minutes`; null when no request reported a latency. */
export function latencyPercentiles(minutes: readonly DrainMinute[]): { p50: number; p95: number; p99: number } | null {
  const h = newHistogram();
  for (const m of minutes) addEncoded(h, m.latency);
  if (h.totalCount === 0) return null;
  return { p50: h.getValueAtPercentile(50), p95: h.getValueAtPercentile(95), p99: h.getValueAtPercentile(99) };
}
