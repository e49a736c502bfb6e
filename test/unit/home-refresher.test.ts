import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOME_PACING, HomeRefresher, type HomePacing } from '../../src/services/home/home-refresher.ts';
import { TestClock } from '../support/test-clock.ts';

const silent = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent } as never;

/** A refresher on a hand-moved clock that records (user, time) of every publish. */
function harness(pacing: HomePacing = HOME_PACING) {
  const clock = new TestClock();
  const published: { user: string; at: number }[] = [];
  const r = new HomeRefresher(async (user) => void published.push({ user, at: clock.now() }), clock, silent, pacing);
  return { clock, published, r };
}

describe('Home refresh pacing (views.publish: Tier 4, per user every few seconds)', () => {
  it('coalesces a burst: ten changes for the same viewers publish each of them once', async () => {
    const { r, published } = harness();
    for (let i = 0; i < 10; i++) r.request(['U1', 'U2', 'U3']);
    await r.idle();
    expect(published.map((p) => p.user).sort()).toEqual(['U1', 'U2', 'U3']);
  });

  it('republishes a user asked for again after their publish, but not sooner than the per-user gap', async () => {
    const { r, published, clock } = harness();
    r.request(['U1']);
    await r.idle();
    r.request(['U1']);
    await r.idle();
    expect(published).toHaveLength(2);
    expect(published[1]!.at - published[0]!.at).toBeGreaterThanOrEqual(HOME_PACING.perUserMs);
    expect(clock.now()).toBeGreaterThanOrEqual(published[1]!.at);
  });

  it('a failing publish is logged and the others still go out', async () => {
    const clock = new TestClock();
    const done: string[] = [];
    const r = new HomeRefresher(
      async (u) => {
        if (u === 'BAD') throw new Error('user_not_found');
        done.push(u);
      },
      clock,
      silent,
    );
    r.request(['A', 'BAD', 'B']);
    await r.idle();
    expect(done).toEqual(['A', 'B']);
  });

  it('property: whatever the requests, publishes keep both paces and every request is answered after it', async () => {
    const request = fc.record({
      waitMs: fc.integer({ min: 0, max: 5_000 }),
      users: fc.uniqueArray(fc.constantFrom('U1', 'U2', 'U3', 'U4', 'U5', 'U6'), { minLength: 1, maxLength: 6 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 12 }), async (requests) => {
        const pacing = { perMinute: 90, perUserMs: 3_000, coalesceMs: 250 };
        const { r, published, clock } = harness(pacing);
        const lastAsked = new Map<string, number>();
        for (const q of requests) {
          clock.advance(q.waitMs);
          for (const u of q.users) lastAsked.set(u, clock.now());
          r.request(q.users);
          await new Promise((res) => setImmediate(res));
        }
        await r.idle();
        const gap = 60_000 / pacing.perMinute;
        for (let i = 1; i < published.length; i++)
          expect(published[i]!.at - published[i - 1]!.at).toBeGreaterThanOrEqual(gap - 1e-6);
        for (const u of lastAsked.keys()) {
          const mine = published.filter((p) => p.user === u).map((p) => p.at);
          for (let i = 1; i < mine.length; i++)
            expect(mine[i]! - mine[i - 1]!).toBeGreaterThanOrEqual(pacing.perUserMs);
          // The last request of each user is followed by a publish (the state it shows is not older than the ask).
          expect(mine.at(-1)!).toBeGreaterThanOrEqual(lastAsked.get(u)!);
        }
      }),
      { numRuns: 60 },
    );
  });
});
