import { type LockClaim, takeLocks } from '../../ports/env-locks.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';

/** A lock a workflow takes expires after this, so a bot that never comes back cannot freeze an env forever. */
export const WORKFLOW_LOCK_TTL_MS = 6 * 60 * 60_000;

// Taking and releasing are the one lock mechanism every change uses (flag changes too): src/ports/env-locks.ts.
export { releaseLocks, takeLocks } from '../../ports/env-locks.ts';

/**
 * Keep what `token` holds as a manual freeze (a stopped rollback): one UPDATE keyed on the token
 * (LockStore.convert), so no other lock lands in between. If the run's lock is gone (someone
 * unlocked meanwhile) the freeze is taken again when the environment is free.
 */
export async function freezeLocks(
  store: Store,
  envs: readonly string[],
  o: { token: string; holderId: string; reason: string; now: number; freshToken: () => string },
  log: Logger,
): Promise<void> {
  const freeze = { kind: 'manual', reason: o.reason, holderId: o.holderId, expiresAt: null };
  for (const env of envs) {
    try {
      if (await store.locks.convert(env, o.token, freeze)) continue;
      const r = await store.locks.acquire({ env, token: o.freshToken(), acquiredAt: o.now, ...freeze });
      if (!r.ok) log.info({ env, heldBy: r.heldBy.kind }, 'the frozen environment is held by someone else already');
    } catch (err) {
      log.error({ err, env }, 'could not freeze the environment after the run');
    }
  }
}

/**
 * Retake a stopped run's environments: turn its freeze (same token) back into a workflow lock, or
 * take them afresh when the freeze is gone. Throws `locked` when someone else holds one.
 */
export async function retakeLocks(
  store: Store,
  envs: readonly string[],
  o: LockClaim & { oldToken: string | null },
): Promise<string> {
  if (o.oldToken) {
    const to = { kind: o.kind, reason: o.reason, holderId: o.holderId, expiresAt: o.now + o.ttlMs };
    const held: boolean[] = [];
    for (const env of envs) held.push(await store.locks.convert(env, o.oldToken, to));
    if (held.every(Boolean)) return o.oldToken;
    for (const [i, env] of envs.entries()) if (held[i]) await store.locks.release(env, o.oldToken);
  }
  await takeLocks(store, envs, o);
  return o.token;
}
