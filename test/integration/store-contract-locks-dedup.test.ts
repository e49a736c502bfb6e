import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import type { LockInfo } from '../../src/ports/stores/locks.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const T0 = 1_760_000_000_000; // a realistic ms timestamp, beyond 32 bits: BIGINT must round-trip as a number

function lock(over: Partial<LockInfo> = {}): LockInfo {
  return {
    env: 'production',
    holderId: 'U1',
    kind: 'deploy',
    reason: 'deploy v42',
    token: 'tok-1',
    acquiredAt: T0,
    expiresAt: T0 + 60_000,
    ...over,
  };
}

describe.each(testDatabases())('store contract on $name', (database) => {
  let o: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    o = await database.open();
    store = o.store;
  });
  afterEach(async () => {
    await o.cleanup();
  });

  describe('locks', () => {
    it('refuses a held lock, naming its holder', async () => {
      expect(await store.locks.acquire(lock())).toEqual({ ok: true, lock: lock() });
      const refused = await store.locks.acquire(
        lock({ holderId: 'U2', token: 'tok-2', kind: 'flag', reason: 'flag on', acquiredAt: T0 + 10 }),
      );
      expect(refused).toEqual({ ok: false, heldBy: lock() });
      expect(await store.locks.get('production', T0 + 10)).toEqual(lock());
      expect((await store.locks.acquire(lock({ env: 'staging', token: 'tok-s' }))).ok).toBe(true);
    });

    it('releases only with the right token, or by force', async () => {
      await store.locks.acquire(lock());
      expect(await store.locks.release('production', 'wrong-token')).toBe(false);
      expect(await store.locks.get('production', T0)).toEqual(lock());
      expect(await store.locks.release('production', 'tok-1')).toBe(true);
      expect(await store.locks.get('production', T0)).toBeNull();
      expect(await store.locks.release('production', 'tok-1')).toBe(false);

      await store.locks.acquire(lock({ kind: 'manual', expiresAt: null }));
      expect(await store.locks.release('production', null)).toBe(true);
      expect((await store.locks.acquire(lock({ holderId: 'U2', token: 'tok-2' }))).ok).toBe(true);
    });

    it('lets an expired lock be taken over, but never a manual one', async () => {
      await store.locks.acquire(lock({ expiresAt: T0 + 1000 }));
      expect((await store.locks.acquire(lock({ holderId: 'U2', token: 'tok-2', acquiredAt: T0 + 999 }))).ok).toBe(
        false,
      );
      expect(await store.locks.get('production', T0 + 1000)).toBeNull();
      const taken = await store.locks.acquire(
        lock({ holderId: 'U2', token: 'tok-2', acquiredAt: T0 + 1000, expiresAt: T0 + 5000 }),
      );
      expect(taken.ok).toBe(true);
      expect(await store.locks.release('production', 'tok-1')).toBe(false); // the old holder's token is dead

      await store.locks.acquire(lock({ env: 'staging', kind: 'manual', expiresAt: null }));
      const later = await store.locks.acquire(
        lock({ env: 'staging', holderId: 'U2', token: 'tok-3', acquiredAt: T0 + 365 * 86_400_000 }),
      );
      expect(later).toMatchObject({ ok: false, heldBy: { holderId: 'U1', kind: 'manual' } });
    });

    it('gives a contested lock to exactly one of two racing instances', async () => {
      const other = (await o.reopen()).store;
      for (let i = 0; i < 10; i++) {
        const env = `env-${i}`;
        const [a, b] = await Promise.all([
          store.locks.acquire(lock({ env, holderId: 'UA', token: `a-${i}` })),
          other.locks.acquire(lock({ env, holderId: 'UB', token: `b-${i}` })),
        ]);
        expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
        const winner = a.ok ? a.lock : b.ok ? b.lock : null;
        const loser = a.ok ? b : a;
        expect(loser.ok ? null : loser.heldBy).toEqual(winner);
      }
    });
  });

  describe('dedup', () => {
    it('accepts a key once until it expires', async () => {
      expect(await store.dedup.claim('slack:Ev1', T0, 60_000)).toBe(true);
      expect(await store.dedup.claim('slack:Ev1', T0 + 1, 60_000)).toBe(false);
      expect(await store.dedup.claim('slack:Ev2', T0 + 1, 60_000)).toBe(true);
      expect(await store.dedup.claim('slack:Ev1', T0 + 59_999, 60_000)).toBe(false);
      expect(await store.dedup.claim('slack:Ev1', T0 + 60_000, 60_000)).toBe(true);
      expect(await store.dedup.claim('slack:Ev1', T0 + 60_001, 60_000)).toBe(false);
    });

    it('lets one of several racing claims win, across instances', async () => {
      const other = (await o.reopen()).store;
      for (let i = 0; i < 10; i++) {
        const key = `webhook:${i}`;
        const results = await Promise.all([store, other, store, other].map((s) => s.dedup.claim(key, T0, 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    });
  });

  it('answers ping, and fails it once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.kind).toBe(database.name);
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'store_failed' });
  });
});
