import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import type { LockInfo } from '../../src/ports/stores/locks.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const T0 = 1_760_000_000_000;

function lock(over: Partial<LockInfo> = {}): LockInfo {
  return {
    env: 'production',
    holderId: 'U1',
    kind: 'rollback',
    reason: 'rolling back to v41',
    token: 'tok-1',
    acquiredAt: T0,
    expiresAt: T0 + 60_000,
    ...over,
  };
}

const FREEZE = { kind: 'manual', reason: 'rolled back to v41; unlock once fixed', holderId: 'U1', expiresAt: null };

/**
 * LockStore.convert: a finished rollback turns its own lock into a manual freeze in one statement,
 * so no other deploy, rollback or flag change can take the environment in between (issue 5 §6).
 */
describe.each(testDatabases())('lock conversion on $name', (database) => {
  let o: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    o = await database.open();
    store = o.store;
  });
  afterEach(async () => {
    await o.cleanup();
  });

  it('turns the held lock into a manual freeze, keeping its token and since-when', async () => {
    await store.locks.acquire(lock());
    expect(await store.locks.convert('production', 'tok-1', FREEZE)).toBe(true);
    const now = await store.locks.get('production', T0 + 365 * 86_400_000);
    expect(now).toEqual({ ...lock(), ...FREEZE });
    // A manual lock never expires: nobody can take it over, only unlock lifts it.
    expect(
      (
        await store.locks.acquire(
          lock({ holderId: 'U2', token: 'tok-2', kind: 'deploy', acquiredAt: T0 + 365 * 86_400_000 }),
        )
      ).ok,
    ).toBe(false);
    expect(await store.locks.release('production', null)).toBe(true);
  });

  it('changes nothing when the token no longer holds the lock', async () => {
    expect(await store.locks.convert('production', 'tok-1', FREEZE)).toBe(false);
    expect(await store.locks.get('production', T0)).toBeNull();

    // Expired and taken over by someone else: their lock stays exactly as it is.
    await store.locks.acquire(lock({ expiresAt: T0 + 1000 }));
    const other = lock({
      holderId: 'U2',
      token: 'tok-2',
      kind: 'deploy',
      reason: 'deploy abc',
      acquiredAt: T0 + 1000,
      expiresAt: T0 + 9000,
    });
    expect((await store.locks.acquire(other)).ok).toBe(true);
    expect(await store.locks.convert('production', 'tok-1', FREEZE)).toBe(false);
    expect(await store.locks.get('production', T0 + 1000)).toEqual(other);

    // Another environment's lock with the same token is not touched either.
    await store.locks.acquire(lock({ env: 'staging', token: 'tok-s' }));
    expect(await store.locks.convert('production', 'tok-s', FREEZE)).toBe(false);
    expect(await store.locks.get('staging', T0)).toEqual(lock({ env: 'staging', token: 'tok-s' }));
  });

  it('converts an expired lock nobody took over (the holder still owns it)', async () => {
    await store.locks.acquire(lock({ expiresAt: T0 + 1000 }));
    expect(await store.locks.convert('production', 'tok-1', FREEZE)).toBe(true);
    expect(await store.locks.get('production', T0 + 5000)).toMatchObject({ kind: 'manual', expiresAt: null });
  });

  it('never lets a racing instance in: each round, either the freeze or the other lock wins, never both, never neither', async () => {
    const { store: other } = await o.reopen();
    for (let i = 0; i < 10; i++) {
      const env = `race-${i}`;
      // The rollback's own lock has just expired; another instance tries to take the environment
      // while this one converts it. The old release-then-acquire let both succeed.
      await store.locks.acquire(lock({ env, token: `rb-${i}`, expiresAt: T0 + 10 }));
      const [converted, taken] = await Promise.all([
        store.locks.convert(env, `rb-${i}`, FREEZE),
        other.locks.acquire(
          lock({ env, holderId: 'U9', token: `x-${i}`, kind: 'flag', acquiredAt: T0 + 10, expiresAt: T0 + 5000 }),
        ),
      ]);
      const held = await store.locks.get(env, T0 + 10);
      if (taken.ok) {
        expect(converted).toBe(false);
        expect(held).toMatchObject({ token: `x-${i}`, kind: 'flag' });
      } else {
        expect(converted).toBe(true);
        expect(held).toMatchObject({ token: `rb-${i}`, kind: 'manual', expiresAt: null });
        expect(taken.heldBy.token).toBe(`rb-${i}`);
      }
    }
  });
});
