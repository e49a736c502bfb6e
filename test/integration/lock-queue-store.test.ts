import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLockQueueStore } from '../../src/adapters/store/lock-queue-store.ts';
import type { NewQueueEntry } from '../../src/ports/stores/lock-queue.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

/** Lock queues (migration 100) on both engines: first in first out, one turn at a time, exactly once. */
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const TURN = 15 * 60_000;

const entry = (id: string, userId: string, at: number, commandText = 'flag on production'): NewQueueEntry => ({
  id,
  env: 'production',
  userId,
  channelId: 'CROLLOUT',
  commandText,
  queuedAt: at,
});

describe.each(testDatabases())('lock queue on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('keeps the order people queued in, and a second queuing of the same line keeps its place', async () => {
    const q = o.store.lockQueue;
    expect((await q.enqueue(entry('q1', 'UBEN', T0))).position).toBe(1);
    expect((await q.enqueue(entry('q2', 'UCY', T0 + 1))).position).toBe(2);
    const again = await q.enqueue(entry('q3', 'UBEN', T0 + 2));
    expect(again).toMatchObject({ added: false, position: 1, entry: { id: 'q1' } });
    // Another command line of the same person is another place.
    expect((await q.enqueue(entry('q4', 'UBEN', T0 + 3, 'deploy production'))).position).toBe(3);
    expect((await q.waiting('production')).map((e) => e.id)).toEqual(['q1', 'q2', 'q4']);
    expect(await q.envsWithWaiting()).toEqual(['production']);
  });

  it('gives one turn at a time: the next waits until the turn ends or times out', async () => {
    const q = o.store.lockQueue;
    await q.enqueue(entry('q1', 'UBEN', T0));
    await q.enqueue(entry('q2', 'UCY', T0 + 1));
    const first = await q.claimTurn('production', T0 + 10, T0 + 10 - TURN);
    expect(first).toMatchObject({ id: 'q1', state: 'notified', notifiedAt: T0 + 10 });
    expect(await q.claimTurn('production', T0 + 20, T0 + 20 - TURN)).toBeNull();
    expect((await q.currentTurn('production'))?.id).toBe('q1');
    // The lock was taken and released after that turn began: the turn is over, the next is told.
    expect(await q.endTurns('production', T0 + 30)).toBe(1);
    expect((await q.claimTurn('production', T0 + 30, T0 + 30 - TURN))?.id).toBe('q2');
    expect(await q.waiting('production')).toEqual([]);
  });

  it('a turn nobody took times out, then the next is told', async () => {
    const q = o.store.lockQueue;
    await q.enqueue(entry('q1', 'UBEN', T0));
    await q.enqueue(entry('q2', 'UCY', T0 + 1));
    await q.claimTurn('production', T0, T0 - TURN);
    expect(await q.claimTurn('production', T0 + TURN - 1, T0 - 1)).toBeNull();
    expect((await q.claimTurn('production', T0 + TURN + 1, T0 + 1))?.id).toBe('q2');
  });

  it('two instances racing for the same turn give it once', async () => {
    const other = await o.reopen();
    const qa = o.store.lockQueue;
    const qb = createLockQueueStore(other.db);
    for (let i = 0; i < 5; i++) await qa.enqueue(entry(`q${i}`, `U${i}`, T0 + i));
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? qa : qb).claimTurn('production', T0 + 100, T0 + 100 - TURN)),
    );
    const won = claims.filter((c) => c !== null);
    expect(won.map((c) => c!.id)).toEqual(['q0']);
    expect((await qb.waiting('production')).map((e) => e.id)).toEqual(['q1', 'q2', 'q3', 'q4']);
  });
});
