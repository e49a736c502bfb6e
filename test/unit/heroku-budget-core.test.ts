import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  estimateRemaining,
  HEROKU_RATE_LIMIT,
  LOW_PRIORITY_FLOOR,
  MAX_POLL_SLOWDOWN,
  mayCall,
  pollDelayMs,
} from '../../src/core/heroku-budget.ts';

const remaining = fc.option(fc.integer({ min: 0, max: HEROKU_RATE_LIMIT }), { nil: null });

describe('heroku budget arithmetic', () => {
  it('a poll never waits less with fewer tokens left, never less than the base, never more than 8× the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.nat(200),
        fc.integer({ min: 0, max: HEROKU_RATE_LIMIT }),
        fc.integer({ min: 0, max: HEROKU_RATE_LIMIT }),
        (base, capFactor, attempt, a, b) => {
          const [fewer, more] = a < b ? [a, b] : [b, a];
          const cap = base * capFactor;
          const slow = pollDelayMs(base, cap, attempt, fewer);
          expect(slow).toBeGreaterThanOrEqual(pollDelayMs(base, cap, attempt, more));
          expect(pollDelayMs(base, cap, attempt, null)).toBeGreaterThanOrEqual(base);
          expect(slow).toBeLessThanOrEqual(Math.round(cap * MAX_POLL_SLOWDOWN));
          expect(pollDelayMs(base, cap, attempt + 1, more)).toBeGreaterThanOrEqual(
            pollDelayMs(base, cap, attempt, more),
          );
        },
      ),
    );
  });

  it('the kill switch (essential) may always call; a status read only above the floor or when unknown', () => {
    fc.assert(
      fc.property(remaining, (r) => {
        expect(mayCall('essential', r)).toBe(true);
        expect(mayCall('low', r)).toBe(r === null || r >= LOW_PRIORITY_FLOOR);
      }),
    );
  });

  it("refills like Heroku's bucket: 75 a minute, capped at 4,500", () => {
    expect(estimateRemaining(null, 0)).toBeNull();
    expect(estimateRemaining({ remaining: 100, at: 0 }, 60_000)).toBe(175);
    expect(estimateRemaining({ remaining: 4400, at: 0 }, 3_600_000)).toBe(HEROKU_RATE_LIMIT);
    expect(estimateRemaining({ remaining: 100, at: 10 }, 0)).toBe(100);
  });
});
