import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const T0 = 1_760_000_000_000;

/** Issue 19 §7: one instance drives each workflow run; a dead instance's lease expires and a peer takes over. */
describe.each(testDatabases())('workflow leases on $name', (database) => {
  let o: OpenedStore;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    o = await database.open();
    a = o.store;
    b = (await o.reopen()).store;
  });
  afterEach(async () => {
    await b.close().catch(() => undefined);
    await o.cleanup();
  });

  it('lets one owner hold a run until its lease expires, then a peer takes it', async () => {
    expect(await a.workflowLeases.claim('run-1', 'A', T0, T0 + 30_000)).toBe(true);
    expect(await b.workflowLeases.claim('run-1', 'B', T0 + 1, T0 + 30_001)).toBe(false);
    // A renews while it lives: at T0 + 40 s the renewed lease still holds.
    expect(await a.workflowLeases.renew('A', T0 + 60_000)).toBe(1);
    expect(await b.workflowLeases.claim('run-1', 'B', T0 + 40_000, T0 + 70_000)).toBe(false);
    // A died: no renewal, the lease runs out and B takes the run.
    expect(await b.workflowLeases.claim('run-1', 'B', T0 + 60_000, T0 + 90_000)).toBe(true);
    // A, back from a stall, renews nothing and cannot release B's lease.
    expect(await a.workflowLeases.renew('A', T0 + 120_000)).toBe(0);
    await a.workflowLeases.release('run-1', 'A');
    expect(await a.workflowLeases.claim('run-1', 'A', T0 + 61_000, T0 + 91_000)).toBe(false);
    // Re-claiming one's own lease extends it.
    expect(await b.workflowLeases.claim('run-1', 'B', T0 + 61_000, T0 + 95_000)).toBe(true);
  });

  it('frees a released lease at once, and a graceful stop hands every lease of its owner over', async () => {
    expect(await a.workflowLeases.claim('run-1', 'A', T0, T0 + 30_000)).toBe(true);
    expect(await a.workflowLeases.claim('run-2', 'A', T0, T0 + 30_000)).toBe(true);
    expect(await a.workflowLeases.claim('run-3', 'A', T0, T0 + 30_000)).toBe(true);
    await a.workflowLeases.release('run-1', 'A');
    expect(await b.workflowLeases.expired(T0 + 1)).toEqual([]);
    expect(await b.workflowLeases.claim('run-1', 'B', T0 + 1, T0 + 30_001)).toBe(true);
    // A stops gracefully: its runs show as expired to the peers' sweep, which takes them.
    expect(await a.workflowLeases.handOver('A')).toBe(2);
    expect((await b.workflowLeases.expired(T0 + 2)).sort()).toEqual(['run-2', 'run-3']);
    expect(await b.workflowLeases.claim('run-2', 'B', T0 + 2, T0 + 30_002)).toBe(true);
    expect(await b.workflowLeases.expired(T0 + 2)).toEqual(['run-3']);
  });

  it("lists a killed owner's leases as expired once their time is up, not before", async () => {
    expect(await a.workflowLeases.claim('run-1', 'A', T0, T0 + 30_000)).toBe(true);
    expect(await b.workflowLeases.expired(T0 + 29_999)).toEqual([]);
    expect(await b.workflowLeases.expired(T0 + 30_000)).toEqual(['run-1']);
  });

  it('gives a run to exactly one of many instances claiming it at once', async () => {
    const stores = [a, b, ...(await Promise.all([o.reopen(), o.reopen()])).map((x) => x.store)];
    const won = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        stores[i % stores.length]!.workflowLeases.claim('run-9', `I${i}`, T0, T0 + 30_000),
      ),
    );
    expect(won.filter(Boolean)).toHaveLength(1);
    for (const s of stores.slice(2)) await s.close();
  });
});
