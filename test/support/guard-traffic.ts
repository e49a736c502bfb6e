import { dispersions } from '../../src/core/guard/dispersion.ts';
import { GUARD_METRICS, type GuardBaseline, type GuardCounts, emptyCounts } from '../../src/core/guard/guard-types.ts';

/**
 * Seeded drain-like traffic for the guard's tests and benchmark (bench/guard.ts): router lines as
 * independent Poisson streams per second (requests inside and outside /api/autorisen/, 5xx, 401/403,
 * H-codes, slow requests), with a diurnal trend, error bursts and one noisy minute as options. The
 * counts come out the way the runtime sees them: per-minute aggregates before the change's minute
 * (the baseline) and, after it, everything received so far, the change's own minute included.
 */

/** mulberry32: small, fast and seeded, so a failing case can be replayed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw (Knuth below 30, a rounded normal above: only sums of many seconds are that large). */
export function poisson(rand: () => number, mean: number): number {
  if (mean <= 0) return 0;
  if (mean >= 30) {
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  for (;;) {
    p *= rand();
    if (p <= l) return k;
    k++;
  }
}

/** Lognormal latency: P(X > x) for median m and log-sd s. */
function slowerThan(x: number, median: number, sigma: number): number {
  const z = Math.log(x / median) / sigma;
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  // Numerical Recipes' erfcc, |error| < 1.2e-7.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886638 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** HdrHistogram with 2 significant digits reports a bucket's top: 268 for 267.4. */
function hdrValue(v: number): number {
  const digits = Math.floor(Math.log10(v)) - 1;
  const step = 10 ** Math.max(0, digits);
  return Math.ceil(v / step) * step;
}

export interface TrafficShape {
  /** Requests per second at the mean of the day. */
  rps: number;
  /** Share of requests under /api/autorisen/. */
  insideShare: number;
  errorRatio: number;
  /** Share of requests answered 401/403 under /api/autorisen/. */
  authRatio: number;
  /** Router H-codes per request. */
  routerRatio: number;
  latencyMedianMs: number;
  latencySigma: number;
  /** Diurnal swing of the request rate (0.3 = ±30%) and where in the day the change falls. */
  diurnal: number;
  /** Error bursts per hour (a clump of ~4 failed requests in one second, spread like traffic: a retried failure). */
  burstsPerHour: number;
  /** Traffic bursts per hour (the request rate ×3 for 30 s; errors in proportion). */
  trafficBurstsPerHour: number;
  /** One minute, somewhere in the baseline or the window, with this multiple of errors and 1.5× latency. */
  noisyMinuteFactor: number;
}

/** What changes at the change (multiples of the healthy values), from `startSec` after it. */
export interface Regression {
  insideErrorFactor?: number;
  /** Extra 5xx per second under /api/autorisen/, as a multiple of the whole baseline 5xx rate. */
  extraInsideErrorsOfTotal?: number;
  latencyFactor?: number;
  startSec?: number;
}

export const DRAIN_REPLAY_TRAFFIC: TrafficShape = {
  rps: 20,
  insideShare: 0.1,
  errorRatio: 0.005,
  authRatio: 0.01,
  routerRatio: 0.0002,
  latencyMedianMs: 120,
  latencySigma: 0.6,
  diurnal: 0,
  burstsPerHour: 0,
  trafficBurstsPerHour: 0,
  noisyMinuteFactor: 1,
};

export interface SimulatedChange {
  baseline: GuardBaseline;
  /** Counts received by `sec` seconds after the change (the change's own minute included). */
  countsAt(sec: number): GuardCounts;
  /** The same, per drain minute (the change's own minute first; the last one partial). */
  minutesAt(sec: number): GuardCounts[];
  /** Seconds after the change of the first line the regression made bad; null without one. */
  firstBadSec: number | null;
}

/**
 * One change: `baselineMinutes` of healthy traffic, then `windowSec` seconds after the change
 * (which falls at a random second of its minute), lines arriving `delaySec` after they happen.
 */
export function simulateChange(opts: {
  seed: number;
  shape: TrafficShape;
  regression?: Regression;
  baselineMinutes: number;
  windowSec: number;
  delaySec?: number;
}): SimulatedChange {
  const rand = rng(opts.seed);
  const s = opts.shape;
  const reg = opts.regression ?? {};
  const delay = opts.delaySec ?? 2;
  const offset = Math.floor(rand() * 60); // seconds of the change's minute that were before it
  const phase = rand();
  const startSec = -(opts.baselineMinutes * 60 + offset);
  const totalSec = opts.baselineMinutes * 60 + offset + opts.windowSec;
  const noisyAt = s.noisyMinuteFactor !== 1 ? startSec + Math.floor(rand() * (totalSec / 60)) * 60 : null;
  const bursts: number[] = [];
  const surges: number[] = [];
  for (let t = startSec; t < opts.windowSec; t += 1) {
    if (rand() < s.burstsPerHour / 3600) bursts.push(t);
    if (rand() < s.trafficBurstsPerHour / 3600) surges.push(t);
  }
  const base = hdrValue(s.latencyMedianMs * Math.exp(1.6449 * s.latencySigma));
  const base99 = hdrValue(s.latencyMedianMs * Math.exp(2.3263 * s.latencySigma));
  // Per second: [t, counts of that second]; the baseline is every whole minute before the change's.
  const seconds: GuardCounts[] = [];
  let firstBadSec: number | null = null;
  for (let t = startSec; t < opts.windowSec; t++) {
    const day = Math.sin(2 * Math.PI * (phase + t / 86_400));
    const surge = surges.some((u) => t >= u && t < u + 30);
    const rps = s.rps * (1 + s.diurnal * day) * (surge ? 3 : 1);
    const noisy = noisyAt !== null && t >= noisyAt && t < noisyAt + 60;
    const after = t >= (reg.startSec ?? 0);
    const errF = noisy ? s.noisyMinuteFactor : 1;
    const inF = after ? (reg.insideErrorFactor ?? 1) : 1;
    const latF = (after ? (reg.latencyFactor ?? 1) : 1) * (noisy ? 1.5 : 1);
    const inside = poisson(rand, rps * s.insideShare);
    const outside = poisson(rand, rps * (1 - s.insideShare));
    const c = emptyCounts(1 / 60);
    c.requestsInside = inside;
    c.requests = inside + outside;
    const e5in = poisson(rand, inside * s.errorRatio * errF);
    // The regression's own bad lines, apart, so the first of them can be timed.
    // As a share of the requests under /api/autorisen/ (so it follows their rate and never exceeds them).
    const extraShare =
      (inF - 1) * s.errorRatio + (after ? ((reg.extraInsideErrorsOfTotal ?? 0) * s.errorRatio) / s.insideShare : 0);
    const extra = Math.min(poisson(rand, inside * extraShare), inside);
    if (firstBadSec === null && (extra > 0 || (after && latF > 1 && !noisy))) firstBadSec = t;
    const burst = bursts.includes(t) ? 1 + poisson(rand, 3) : 0;
    const burstIn = Math.round(burst * s.insideShare);
    // A clump's errors are requests too (retries of a failing call): a 5xx is always a router line.
    c.requests += burst;
    c.requestsInside += burstIn;
    c.status5xxInside = e5in + extra + burstIn;
    c.status5xx = c.status5xxInside + poisson(rand, outside * s.errorRatio * errF) + (burst - burstIn);
    c.authInside = poisson(rand, inside * s.authRatio);
    c.routerErrors = poisson(rand, c.requests * s.routerRatio * errF);
    c.timed = c.requests;
    c.slowP95 = poisson(rand, c.timed * slowerThan(base, s.latencyMedianMs * latF, s.latencySigma));
    c.slowP99 = poisson(rand, c.timed * slowerThan(base99, s.latencyMedianMs * latF, s.latencySigma));
    seconds.push(c);
  }
  // Prefix sums: cumulative[i] = everything before second startSec + i.
  const keys = Object.keys(emptyCounts()) as (keyof GuardCounts)[];
  const cumulative: GuardCounts[] = [emptyCounts()];
  for (const c of seconds) {
    const prev = cumulative.at(-1)!;
    const next = emptyCounts();
    for (const k of keys) next[k] = prev[k] + c[k];
    cumulative.push(next);
  }
  const at = (t: number) => cumulative[Math.max(0, Math.min(seconds.length, t - startSec))]!;
  const sum = (from: number, to: number) => {
    const a = at(from);
    const b = at(Math.max(from, to));
    const out = emptyCounts();
    for (const k of keys) out[k] = b[k] - a[k];
    return out;
  };
  const perMinute: GuardCounts[] = [];
  for (let m = startSec; m < -offset; m += 60) perMinute.push({ ...sum(m, m + 60), minutes: 1 });
  const baseline = {
    counts: { ...sum(startSec, -offset), minutes: opts.baselineMinutes },
    p95Ms: base,
    p99Ms: base99,
    dispersion: dispersions(perMinute, GUARD_METRICS),
  };
  return {
    baseline,
    firstBadSec,
    countsAt: (sec) => {
      const to = Math.max(-offset, sec - delay + 1);
      return { ...sum(-offset, to), minutes: (to + offset) / 60 };
    },
    minutesAt: (sec) => {
      const to = Math.max(-offset, sec - delay + 1);
      const out: GuardCounts[] = [];
      for (let m = -offset; m < to; m += 60) out.push({ ...sum(m, Math.min(to, m + 60)), minutes: 1 });
      return out;
    },
  };
}
