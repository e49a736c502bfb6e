import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/core/guard/defaults.ts';
import { detect, judgeMetric } from '../../src/core/guard/detector.ts';
import { dispersionOf } from '../../src/core/guard/dispersion.ts';
import { emptyCounts, type GuardBaseline, type GuardCounts } from '../../src/core/guard/guard-types.ts';
import { logMixtureRatio, normalQuantile, poissonUpper } from '../../src/core/guard/sequential.ts';
import { DRAIN_REPLAY_TRAFFIC, simulateChange } from '../support/guard-traffic.ts';

/** Issue 21 §2: the guard's decision on generated traffic with known answers (seeded). */

const counts = (over: Partial<GuardCounts>): GuardCounts => ({ ...emptyCounts(), ...over });
const baseline = (over: Partial<GuardCounts>, p95Ms: number | null = 300): GuardBaseline => ({
  counts: counts({ minutes: 60, ...over }),
  p95Ms,
  p99Ms: p95Ms === null ? null : p95Ms * 2,
  dispersion: {},
});
/** 60 min at 20 req/s, 0.5% 5xx, 10% under /api/autorisen/. */
const healthy = baseline({
  requests: 72_000,
  requestsInside: 7_200,
  status5xx: 360,
  status5xxInside: 36,
  authInside: 72,
  timed: 72_000,
  slowP95: 3_600,
  slowP99: 720,
});

describe('the statistics', () => {
  it('normal quantiles and Poisson upper bounds match tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.95996, 4);
    expect(normalQuantile(0.1)).toBeCloseTo(-1.28155, 4);
    // Exact one-sided 90% bounds (χ²₀.₉(2k+2)/2): k=0 → 2.3026, k=10 → 15.407, k=100 → 114.075.
    expect(poissonUpper(0, 0.9)).toBeCloseTo(-Math.log(0.1), 1);
    expect(poissonUpper(10, 0.9)).toBeCloseTo(15.41, 1);
    expect(poissonUpper(100, 0.9)).toBeCloseTo(114.075, 1);
  });

  it('the mixture ratio grows with events and falls with what was expected', () => {
    expect(logMixtureRatio(10, 2, [2, 4])).toBeGreaterThan(logMixtureRatio(9, 2, [2, 4]));
    expect(logMixtureRatio(10, 3, [2, 4])).toBeLessThan(logMixtureRatio(10, 2, [2, 4]));
    expect(logMixtureRatio(0, 0, [2])).toBeCloseTo(0);
  });
});

describe('one look', () => {
  it('a 5× error ratio under /api/autorisen/ after a minute trips, with the evidence', () => {
    const v = detect(
      healthy,
      counts({
        minutes: 1,
        requests: 1200,
        requestsInside: 120,
        status5xxInside: 30,
        status5xx: 35,
        timed: 1200,
        slowP95: 60,
        slowP99: 12,
      }),
      DEFAULT_THRESHOLDS,
    );
    expect(v.status).toBe('regressed');
    expect(v.worst?.metric).toBe('error_ratio_autorisen');
    expect(v.worst?.baseline.rate).toBeCloseTo(0.005);
    expect(v.worst?.now.rate).toBeCloseTo(0.25);
    expect(v.worst?.bound).toBeGreaterThan(0.005);
    expect(v.worst!.score).toBeGreaterThanOrEqual(v.worst!.threshold);
  });

  it('the same traffic as the baseline is ok on every metric', () => {
    const v = detect(
      healthy,
      counts({
        minutes: 10,
        requests: 12_000,
        requestsInside: 1200,
        status5xx: 60,
        status5xxInside: 6,
        authInside: 12,
        timed: 12_000,
        slowP95: 600,
        slowP99: 120,
      }),
      DEFAULT_THRESHOLDS,
    );
    expect(v.status).toBe('ok');
    expect(v.metrics.every((m) => m.status === 'ok')).toBe(true);
  });

  it('never trips on fewer events than min_events, however unlikely they were', () => {
    const v = judgeMetric(
      'router_errors',
      healthy,
      counts({ minutes: 1, requests: 1200, routerErrors: 4 }),
      DEFAULT_THRESHOLDS,
    );
    expect(v.status).toBe('ok');
    const five = judgeMetric(
      'router_errors',
      healthy,
      counts({ minutes: 1, requests: 1200, routerErrors: 5 }),
      DEFAULT_THRESHOLDS,
    );
    expect(five.status).toBe('regressed');
  });

  it('R14/R15 are counted per minute', () => {
    const v = judgeMetric('memory_errors', healthy, counts({ minutes: 2, memoryErrors: 6 }), DEFAULT_THRESHOLDS);
    expect(v.status).toBe('regressed');
    expect(v.now.exposure).toBe(2);
  });

  it('401/403 growth under /api/autorisen/ trips', () => {
    const v = judgeMetric(
      'auth_autorisen',
      healthy,
      counts({ minutes: 2, requestsInside: 240, authInside: 40 }),
      DEFAULT_THRESHOLDS,
    );
    expect(v.status).toBe('regressed');
  });

  it('too little traffic is its own verdict, and says why', () => {
    const quiet = baseline({ requests: 100, requestsInside: 10, status5xx: 1, timed: 100, slowP95: 5 });
    const v = detect(
      quiet,
      counts({ minutes: 5, requests: 40, requestsInside: 4, status5xx: 30, timed: 40 }),
      DEFAULT_THRESHOLDS,
    );
    expect(v.status).toBe('insufficient');
    expect(v.metrics.find((m) => m.metric === 'error_ratio')?.reason).toBe('the baseline has 100 requests, needs 300');
    const early = detect(
      healthy,
      counts({ minutes: 0.1, requests: 10, requestsInside: 1, timed: 10 }),
      DEFAULT_THRESHOLDS,
    );
    expect(early.status).toBe('insufficient');
    expect(early.metrics[0]?.reason).toBe('10 requests since the change, needs 20');
  });

  it('latency without a baseline quantile is insufficient, not ok', () => {
    const v = judgeMetric(
      'p99_latency',
      baseline({ requests: 72_000, timed: 72_000, slowP99: 3 }),
      counts({ requests: 500, timed: 500, slowP99: 100 }),
      DEFAULT_THRESHOLDS,
    );
    expect(v.status).toBe('insufficient');
    expect(v.reason).toContain('above its p99');
  });

  it('a disabled metric is not judged', () => {
    const v = detect(healthy, counts({ minutes: 1, requests: 1200, requestsInside: 120, status5xxInside: 30 }), {
      ...DEFAULT_THRESHOLDS,
      metrics: ['error_ratio'],
    });
    expect(v.metrics.map((m) => m.metric)).toEqual(['error_ratio']);
    expect(v.status).toBe('ok');
  });
});

describe('dispersion', () => {
  it('is 1 for Poisson-like minutes and more for clumps', () => {
    const even = Array.from({ length: 30 }, (_, i) =>
      counts({ minutes: 1, requests: 1200, status5xx: 5 + (i % 3) - 1 }),
    );
    expect(dispersionOf(even, 'error_ratio')).toBe(1);
    const clumped = Array.from({ length: 30 }, (_, i) =>
      counts({ minutes: 1, requests: 1200, status5xx: i % 6 === 0 ? 30 : 0 }),
    );
    expect(dispersionOf(clumped, 'error_ratio')).toBeGreaterThan(5);
  });
});

describe('on simulated drain traffic (seeded)', () => {
  const look = (seed: number, regression?: Parameters<typeof simulateChange>[0]['regression']) => {
    const sim = simulateChange({
      seed,
      shape: DRAIN_REPLAY_TRAFFIC,
      baselineMinutes: 60,
      windowSec: 600,
      ...(regression ? { regression } : {}),
    });
    for (let sec = 10; sec <= 600; sec += 10) {
      const v = detect(sim.baseline, sim.countsAt(sec), DEFAULT_THRESHOLDS, sim.minutesAt(sec));
      if (v.status === 'regressed') return { sec, metric: v.worst!.metric };
    }
    return null;
  };

  it('catches 5× errors (all the excess under /api/autorisen/) within a minute', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const hit = look(seed, { extraInsideErrorsOfTotal: 4 });
      expect(hit?.metric).toBe('error_ratio_autorisen');
      expect(hit!.sec).toBeLessThanOrEqual(60);
    }
  });

  it('catches doubled latency on a latency metric', () => {
    const hit = look(7, { latencyFactor: 2 });
    expect(hit?.metric).toMatch(/^p9[59]_latency$/);
  });

  it('leaves healthy changes alone', () => {
    for (const seed of [11, 12, 13, 14, 15]) expect(look(seed)).toBeNull();
  });
});
