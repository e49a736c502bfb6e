import { lockedMessage } from '../core/deploys.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';

/** A lock a workflow takes expires after this, so a bot that never comes back cannot freeze an env forever. */
export const WORKFLOW_LOCK_TTL_MS = 6 * 60 * 60_000;

/**
 * The engine's environment locks: one token for every environment a run touches, taken all or
 * nothing (a release holds staging and production so nothing else changes what it verified).
 */
export async function takeLocks(
  store: Store,
  envs: readonly string[],
  o: { token: string; holderId: string; kind: string; reason: string; now: number; ttlMs: number },
): Promise<void> {
  const taken: string[] = [];
  for (const env of envs) {
    const r = await store.locks.acquire({
      env,
      holderId: o.holderId,
      kind: o.kind,
      reason: o.reason,
      token: o.token,
      acquiredAt: o.now,
      expiresAt: o.now + o.ttlMs,
    });
    if (!r.ok) {
      for (const t of taken) await store.locks.release(t, o.token);
      throw new AppError('locked', lockedMessage(env, r.heldBy));
    }
    taken.push(env);
  }
}

/** Release what `token` holds; best effort (an unlock by hand may have released it already). */
export async function releaseLocks(store: Store, envs: readonly string[], token: string, log: Logger): Promise<void> {
  for (const env of envs) {
    try {
      await store.locks.release(env, token);
    } catch (err) {
      log.warn({ err, env }, 'could not release the workflow lock');
    }
  }
}
