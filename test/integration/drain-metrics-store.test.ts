import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DrainMinute } from '../../src/ports/stores/drain-metrics.ts';
import { emptyMinute, MinuteAggregator } from '../../src/services/drain/aggregate.ts';
import { latencyPercentiles, mergeMinutes } from '../../src/services/drain/histogram.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const T = Date.UTC(2026, 10, 28, 9, 0, 0);

/** A partial minute with `n` requests of `latency` ms each (and one 5xx per 10). */
function part(env: string, minute: number, n: number, latency: number): DrainMinute {
  const agg = new MinuteAggregator(env);
  for (let i = 0; i < n; i++)
    agg.add(minute + i, {
      kind: 'router',
      method: 'GET',
      path: '/',
      status: i % 10 === 9 ? 500 : 200,
      latencyMs: latency,
      dyno: 'web.1',
      code: null,
    });
  return agg.result()[0]!;
}

describe.each(testDatabases())('drain metrics store on $name', (engine) => {
  let s: OpenedStore;
  beforeEach(async () => {
    s = await engine.open();
  });
  afterEach(async () => {
    await s.cleanup();
  });

  it('merges POSTs into their minute, histograms included, so window percentiles are exact', async () => {
    const store = s.store.drainMetrics;
    await store.record(
      [{ env: 'production', frameId: 'f1', receivedAt: T, minutes: [part('production', T, 90, 100)] }],
      mergeMinutes,
    );
    await store.record(
      [
        { env: 'production', frameId: 'f2', receivedAt: T, minutes: [part('production', T, 10, 2000)] },
        { env: 'production', frameId: 'f3', receivedAt: T, minutes: [part('production', T + 60_000, 10, 50)] },
      ],
      mergeMinutes,
    );
    const [a, b] = await store.minutes('production', T, T + 120_000);
    expect(a).toMatchObject({ requests: 100, status5xx: 10 });
    expect(b).toMatchObject({ requests: 10, status5xx: 1 });
    const p = latencyPercentiles([a!])!;
    expect(p.p50).toBe(100);
    expect(p.p95).toBeGreaterThanOrEqual(1990);
    // Over both minutes: 110 requests, 10 at 2 s → p95 still in the 2 s bucket, p50 at 100 ms.
    expect(latencyPercentiles([a!, b!])!.p50).toBe(100);
  });

  it('a redelivered frame id adds nothing, also within one transaction and from a second instance', async () => {
    const store = s.store.drainMetrics;
    const r1 = await store.record(
      [
        { env: 'production', frameId: 'dup', receivedAt: T, minutes: [part('production', T, 5, 10)] },
        { env: 'production', frameId: 'dup', receivedAt: T, minutes: [part('production', T, 5, 10)] },
      ],
      mergeMinutes,
    );
    expect(r1).toEqual([{ duplicate: false }, { duplicate: true }]);
    const other = await s.reopen();
    const r2 = await other.store.drainMetrics.record(
      [{ env: 'production', frameId: 'dup', receivedAt: T, minutes: [part('production', T, 5, 10)] }],
      mergeMinutes,
    );
    expect(r2).toEqual([{ duplicate: true }]);
    expect((await store.minutes('production', 0, T + 60_000))[0]!.requests).toBe(5);
  });

  it('keeps memory peaks per dyno, load and Postgres figures; JSON and nulls round-trip', async () => {
    const store = s.store.drainMetrics;
    const m: DrainMinute = {
      ...emptyMinute('staging', T),
      codes: { H12: 2, R14: 1 },
      memory: { 'web.1': { maxMb: 400.5, quotaMb: 512 } },
      loadMax: 0.75,
      pgConnections: 12,
      pgDbBytes: 26219348792,
    };
    await store.record([{ env: 'staging', frameId: 'a', receivedAt: T, minutes: [m] }], mergeMinutes);
    await store.record(
      [
        {
          env: 'staging',
          frameId: 'b',
          receivedAt: T,
          minutes: [
            { ...emptyMinute('staging', T), codes: { H12: 1 }, memory: { 'web.1': { maxMb: 300, quotaMb: null } } },
          ],
        },
      ],
      mergeMinutes,
    );
    const [row] = await store.minutes('staging', T, T + 1);
    expect(row).toEqual({ ...m, codes: { H12: 3, R14: 1 } });
    expect(await store.minutes('production', T, T + 1)).toEqual([]);
  });

  it('prunes minutes and frame ids older than the cutoff; follow-ups are claimed once', async () => {
    const store = s.store.drainMetrics;
    await store.record(
      [
        {
          env: 'production',
          frameId: 'old',
          receivedAt: T - 10 * 86_400_000,
          minutes: [part('production', T - 10 * 86_400_000, 1, 5)],
        },
      ],
      mergeMinutes,
    );
    await store.record(
      [{ env: 'production', frameId: 'new', receivedAt: T, minutes: [part('production', T, 1, 5)] }],
      mergeMinutes,
    );
    expect(await store.prune(T - 86_400_000)).toEqual({ minutes: 1, frames: 1 });
    expect((await store.minutes('production', 0, T + 60_000)).map((m) => m.minute)).toEqual([T]);
    expect(await store.claimFollowUp('flag:production:1', T)).toBe(true);
    expect(await store.claimFollowUp('flag:production:1', T)).toBe(false);
  });
});

describe.each(testDatabases())('drain metrics store on $name, two instances at once', (engine) => {
  it('never loses a count when instances merge into the same minute concurrently', async () => {
    const s = await engine.open();
    try {
      const other = await s.reopen();
      const stores = [s.store.drainMetrics, other.store.drainMetrics];
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          stores[i % 2]!.record(
            [{ env: 'production', frameId: `c${i}`, receivedAt: T, minutes: [part('production', T, 3, 10 + i)] }],
            mergeMinutes,
          ),
        ),
      );
      const [row] = await s.store.drainMetrics.minutes('production', T, T + 1);
      expect(row!.requests).toBe(60);
      expect(latencyPercentiles([row!])).not.toBeNull();
    } finally {
      await s.cleanup();
    }
  });
});
