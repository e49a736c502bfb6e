import type { Store } from '../../ports/store.ts';

/**
 * The store, reporting every lock release that happened: `/autorisen unlock`, a workflow or flag
 * change finishing, the kill switch's takeover ending, the locks settled at restart. All go
 * through `locks.release`, so the lock queue hears of them without each path remembering to.
 * Expired locks are never released: the queue's sweep finds those.
 */
export function observeLockReleases(s: Store, onRelease: (env: string) => void): Store {
  const locks = s.locks;
  return {
    ...s,
    locks: {
      ...locks,
      async release(env, token) {
        const released = await locks.release(env, token);
        if (released) onRelease(env);
        return released;
      },
    },
  };
}
