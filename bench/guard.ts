import { DEFAULT_THRESHOLDS } from '../src/core/guard/defaults.ts';
import { detect } from '../src/core/guard/detector.ts';
import type { GuardThresholds } from '../src/core/guard/guard-types.ts';
import {
  DRAIN_REPLAY_TRAFFIC,
  type Regression,
  simulateChange,
  type TrafficShape,
} from '../test/support/guard-traffic.ts';

/**
 * The guard's decision latency and false trips (issue 21), on simulated time: for each simulated
 * change the detector looks every `lookSec` seconds, as the runtime does, at the counts received so
 * far (lines arrive 2 s after they happen; the change's own minute counts as "after"), and the
 * kill switch's PATCH goes out at the look that trips. Pure computation: no clock to wait on.
 */

export interface GuardCase {
  name: string;
  shape: TrafficShape;
  regression?: Regression;
  changes: number;
}

export interface GuardCaseResult {
  name: string;
  changes: number;
  tripped: number;
  /** Seconds from the first bad line received to the PATCH, per tripped change. */
  latencies: number[];
  /** What tripped first, by metric. */
  byMetric: Record<string, number>;
}

export function runCase(
  c: GuardCase,
  t: GuardThresholds,
  o: { windowMin: number; baselineMin: number; lookSec: number; seed: number },
): GuardCaseResult {
  const out: GuardCaseResult = { name: c.name, changes: c.changes, tripped: 0, latencies: [], byMetric: {} };
  const delaySec = 2;
  for (let i = 0; i < c.changes; i++) {
    const sim = simulateChange({
      seed: o.seed + i * 7919,
      shape: c.shape,
      ...(c.regression ? { regression: c.regression } : {}),
      baselineMinutes: o.baselineMin,
      windowSec: o.windowMin * 60,
      delaySec,
    });
    for (let sec = o.lookSec; sec <= o.windowMin * 60; sec += o.lookSec) {
      const v = detect(sim.baseline, sim.countsAt(sec), t, sim.minutesAt(sec));
      if (v.status !== 'regressed') continue;
      out.tripped++;
      out.byMetric[v.worst!.metric] = (out.byMetric[v.worst!.metric] ?? 0) + 1;
      // From the first bad line *received* (it happened at firstBadSec and arrived delaySec later).
      if (sim.firstBadSec !== null) out.latencies.push(sec - (Math.max(0, sim.firstBadSec) + delaySec));
      break;
    }
  }
  return out;
}

function quantile(xs: number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

const NOISY: TrafficShape = {
  ...DRAIN_REPLAY_TRAFFIC,
  diurnal: 0.4,
  burstsPerHour: 4,
  trafficBurstsPerHour: 4,
  noisyMinuteFactor: 4,
};

export const GUARD_CASES: GuardCase[] = [
  {
    name: '5× errors under /api/autorisen/ (0.5% → 2.5% there)',
    shape: DRAIN_REPLAY_TRAFFIC,
    regression: { insideErrorFactor: 5 },
    changes: 1000,
  },
  {
    name: '5× errors, all of the excess under /api/autorisen/ (0.5% → 2.5% of all requests)',
    shape: DRAIN_REPLAY_TRAFFIC,
    regression: { extraInsideErrorsOfTotal: 4 },
    changes: 1000,
  },
  {
    name: 'p95 latency doubling (every request ×2)',
    shape: DRAIN_REPLAY_TRAFFIC,
    regression: { latencyFactor: 2 },
    changes: 1000,
  },
  { name: 'healthy flips with noise (bursts, diurnal ±40%, one 4× minute)', shape: NOISY, changes: 1000 },
  { name: 'healthy flips at 1 req/s with the same noise', shape: { ...NOISY, rps: 1 }, changes: 1000 },
  {
    name: '1 req/s: 5× errors, excess under /api/autorisen/',
    shape: { ...DRAIN_REPLAY_TRAFFIC, rps: 1 },
    regression: { extraInsideErrorsOfTotal: 4 },
    changes: 1000,
  },
];

export async function benchGuard(
  opts: {
    windowMin?: number;
    baselineMin?: number;
    lookSec?: number;
    seed?: number;
    changes?: number;
    thresholds?: GuardThresholds;
    /** Only the cases whose name contains this. */
    only?: string;
  } = {},
) {
  const o = {
    windowMin: opts.windowMin ?? 30,
    baselineMin: opts.baselineMin ?? 60,
    lookSec: opts.lookSec ?? 10,
    seed: opts.seed ?? 21,
  };
  console.log(
    `window ${o.windowMin} min, baseline ${o.baselineMin} min, a look every ${o.lookSec} s, false-alarm budget ${DEFAULT_THRESHOLDS.falseAlarm}`,
  );
  console.log('| case | changes | tripped | median s | p95 s | first metric |');
  console.log('|---|---:|---:|---:|---:|---|');
  const results: GuardCaseResult[] = [];
  for (const c of GUARD_CASES.filter((x) => !opts.only || x.name.includes(opts.only))) {
    const r = runCase({ ...c, changes: opts.changes ?? c.changes }, opts.thresholds ?? DEFAULT_THRESHOLDS, o);
    results.push(r);
    const med = quantile(r.latencies, 0.5);
    const p95 = quantile(r.latencies, 0.95);
    const metrics = Object.entries(r.byMetric)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `| ${r.name} | ${r.changes} | ${r.tripped} (${((100 * r.tripped) / r.changes).toFixed(1)}%) | ${med ?? '–'} | ${p95 ?? '–'} | ${metrics || '–'} |`,
    );
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `tsx bench/guard.ts [changes] [thresholds as JSON] [case name part]`: a quick run, or a tuning experiment.
  const thresholds = process.argv[3]
    ? { ...DEFAULT_THRESHOLDS, ...(JSON.parse(process.argv[3]) as Partial<GuardThresholds>) }
    : undefined;
  await benchGuard({
    ...(process.argv[2] ? { changes: Number(process.argv[2]) } : {}),
    ...(thresholds ? { thresholds } : {}),
    ...(process.argv[4] ? { only: process.argv[4] } : {}),
  });
}
