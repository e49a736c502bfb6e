import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../src/core/guard/defaults.ts';
import { judgeMetric } from '../../src/core/guard/detector.ts';
import { emptyCounts, GUARD_METRICS, type GuardBaseline, type GuardCounts } from '../../src/core/guard/guard-types.ts';
import { poisson, rng } from '../support/guard-traffic.ts';

/**
 * Issue 21 §2 as properties: more bad events never make a regression look healthier, a better
 * baseline never makes a change look worse, the minimum counts always hold, and under "no change"
 * the chance of ever tripping over hundreds of looks stays within the false-alarm budget.
 */

const countsArb = fc.record({
  minutes: fc.integer({ min: 1, max: 120 }),
  requests: fc.integer({ min: 0, max: 100_000 }),
  requestsInside: fc.integer({ min: 0, max: 10_000 }),
  status5xx: fc.integer({ min: 0, max: 2_000 }),
  status5xxInside: fc.integer({ min: 0, max: 500 }),
  authInside: fc.integer({ min: 0, max: 500 }),
  routerErrors: fc.integer({ min: 0, max: 200 }),
  memoryErrors: fc.integer({ min: 0, max: 50 }),
  timed: fc.integer({ min: 0, max: 100_000 }),
  slowP95: fc.integer({ min: 0, max: 5_000 }),
  slowP99: fc.integer({ min: 0, max: 1_000 }),
});
const baselineArb = fc.record({
  counts: countsArb,
  p95Ms: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
  p99Ms: fc.option(fc.integer({ min: 1, max: 9000 }), { nil: null }),
  dispersion: fc.constant({}),
});
const metricArb = fc.constantFrom(...GUARD_METRICS);
const rank = { ok: 0, insufficient: 0, regressed: 1 } as const;

describe('the detector, for any counts', () => {
  it('one more event since the change never turns a regression into ok', () => {
    fc.assert(
      fc.property(baselineArb, countsArb, metricArb, (b: GuardBaseline, a: GuardCounts, metric) => {
        const before = judgeMetric(metric, b, a, DEFAULT_THRESHOLDS);
        const more = { ...a };
        for (const k of [
          'status5xx',
          'status5xxInside',
          'authInside',
          'routerErrors',
          'memoryErrors',
          'slowP95',
          'slowP99',
        ] as const)
          more[k] += 1;
        const after = judgeMetric(metric, b, more, DEFAULT_THRESHOLDS);
        expect(rank[after.status]).toBeGreaterThanOrEqual(rank[before.status]);
        if (before.status !== 'insufficient') expect(after.score).toBeGreaterThanOrEqual(before.score - 1e-9);
      }),
    );
  });

  it('more bad events in the baseline never make the change look worse', () => {
    fc.assert(
      fc.property(baselineArb, countsArb, metricArb, (b: GuardBaseline, a: GuardCounts, metric) => {
        const v = judgeMetric(metric, b, a, DEFAULT_THRESHOLDS);
        const worse: GuardBaseline = {
          ...b,
          counts: {
            ...b.counts,
            status5xx: b.counts.status5xx + 5,
            status5xxInside: b.counts.status5xxInside + 5,
            routerErrors: b.counts.routerErrors + 5,
          },
        };
        const w = judgeMetric(metric, worse, a, DEFAULT_THRESHOLDS);
        expect(rank[w.status]).toBeLessThanOrEqual(rank[v.status]);
      }),
    );
  });

  it('never trips below min_events, and insufficient always says why', () => {
    fc.assert(
      fc.property(baselineArb, countsArb, metricArb, (b: GuardBaseline, a: GuardCounts, metric) => {
        const v = judgeMetric(metric, b, a, DEFAULT_THRESHOLDS);
        if (v.status === 'regressed') expect(v.now.events).toBeGreaterThanOrEqual(DEFAULT_THRESHOLDS.minEvents);
        expect(v.status === 'insufficient').toBe(v.reason !== null);
        if (v.status === 'regressed') expect(v.now.rate!).toBeGreaterThan(v.bound!);
      }),
    );
  });
});

describe('false alarms over repeated looks (Ville)', () => {
  it('with a known baseline and no change, at most α of guards ever trip, looking every 10 s for 30 min', () => {
    // A budget large enough to measure (10%), one metric, tolerance 1: the bare sequential test.
    const t = {
      ...DEFAULT_THRESHOLDS,
      falseAlarm: 0.1,
      tolerance: 1,
      baselineConfidence: 0.5,
      minEvents: 1,
      metrics: ['error_ratio'] as const,
    };
    const base: GuardBaseline = {
      counts: { ...emptyCounts(600), requests: 10_000_000, status5xx: 50_000 },
      p95Ms: null,
      p99Ms: null,
      dispersion: {},
    };
    const rand = rng(2121);
    const runs = 600;
    let tripped = 0;
    for (let i = 0; i < runs; i++) {
      const c = emptyCounts();
      for (let look = 0; look < 180; look++) {
        c.requests += 200;
        c.status5xx += poisson(rand, 200 * 0.005);
        if (judgeMetric('error_ratio', base, c, t).status === 'regressed') {
          tripped++;
          break;
        }
      }
    }
    // α = 0.1; three binomial standard errors of slack (0.037) keep the test from flaking on its seed.
    expect(tripped / runs).toBeLessThanOrEqual(0.1 + 0.037);
  });
});
