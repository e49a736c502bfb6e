import { AppError } from '../errors.ts';
import { lockedMessage } from '../core/deploys.ts';
import type { Logger } from './logger.ts';
import type { Store } from './store.ts';
import type { LockInfo } from './stores/locks.ts';

/**
 * The environment locks: one mechanism for every change. A workflow run (deploy, rollback,
 * release, promote, task) and a flag change take their environments' locks here, under one token,
 * all or nothing, and never wait: a held lock is refused at once, naming its holder. The kill
 * switch alone goes past any lock (`passLock`), and the change it overtook learns it (`overtaken`).
 * It speaks only the lock and dedup stores, and commands (flag changes) use it, so it lives with the
 * ports rather than in the pure core.
 */

type LockStores = Pick<Store, 'locks' | 'dedup'>;

/** Who takes the locks, why, and for how long (a holder that never comes back cannot freeze an environment forever). */
export interface LockClaim {
  token: string;
  holderId: string;
  /** `flag`, or the workflow's name. */
  kind: string;
  reason: string;
  now: number;
  ttlMs: number;
}

const lockOf = (env: string, c: LockClaim): LockInfo => ({
  env,
  holderId: c.holderId,
  kind: c.kind,
  reason: c.reason,
  token: c.token,
  acquiredAt: c.now,
  expiresAt: c.now + c.ttlMs,
});

/** Take every environment's lock under one token, all or nothing; `locked` (naming the holder, carrying the environment) when one is held. */
export async function takeLocks(
  store: Pick<Store, 'locks'>,
  envs: readonly string[],
  c: LockClaim,
  busy: (env: string, heldBy: LockInfo) => string = lockedMessage,
): Promise<void> {
  const taken: string[] = [];
  for (const env of envs) {
    const r = await store.locks.acquire(lockOf(env, c));
    if (!r.ok) {
      for (const t of taken) await store.locks.release(t, c.token);
      throw new AppError('locked', busy(env, r.heldBy), { env });
    }
    taken.push(env);
  }
}

/** Release what `token` holds; best effort (an unlock by hand, or the kill switch, may have released it already). */
export async function releaseLocks(
  store: Pick<Store, 'locks'>,
  envs: readonly string[],
  token: string,
  log: Logger,
): Promise<void> {
  for (const env of envs) {
    try {
      await store.locks.release(env, token);
    } catch (err) {
      log.warn({ err, env }, 'could not release the environment lock');
    }
  }
}

/** The mark the kill switch leaves on the token of a lock it took over (shared store: every instance sees it). */
const markOf = (env: string, token: string): string => `kill-switch:${env}:${token}`;

/** The reason a kill switch's lock carries when it took a flag change's lock over. */
export const KILL_SWITCH_REASON = 'flag off (kill switch)';

/** What the kill switch holds, and what it went past (null: the environment was free). */
export interface Passed {
  /** Our token when we hold the lock now (free, or a flag change's lock taken over); null when we went past it. */
  token: string | null;
  wentPast: LockInfo | null;
}

/**
 * The kill switch's way in (issue 9 §1): it never waits for any lock, a workflow's included. A free
 * environment is locked as usual. A flag change in flight is taken over: a mark keyed on its token
 * tells it so when it finishes (`overtaken`), so a `flag on` landing after the kill switch is
 * undone. Any other lock (a workflow, a manual freeze) stays with its holder and is gone past.
 * Never throws: the kill switch goes ahead without the lock rather than fail on it.
 */
export async function passLock(store: LockStores, env: string, c: LockClaim, log: Logger): Promise<Passed> {
  let h: LockInfo;
  try {
    const got = await store.locks.acquire(lockOf(env, c));
    if (got.ok) return { token: c.token, wentPast: null };
    h = got.heldBy;
  } catch (err) {
    log.warn({ err }, 'could not take the lock for the kill switch; going ahead without it');
    return { token: null, wentPast: null };
  }
  if (h.kind !== 'flag') return { token: null, wentPast: h };
  try {
    await store.dedup.claim(markOf(env, h.token), c.now, c.ttlMs);
    await store.locks.release(env, h.token);
    const again = await store.locks.acquire(lockOf(env, { ...c, reason: KILL_SWITCH_REASON }));
    return { token: again.ok ? c.token : null, wentPast: h };
  } catch (err) {
    log.warn({ err }, 'could not take the flag lock over for the kill switch; going ahead without it');
    return { token: null, wentPast: h };
  }
}

/** After a change made under `token`: true when the kill switch took its lock over meanwhile (its mark is there). */
export async function overtaken(store: LockStores, env: string, token: string, now: number, ttlMs: number) {
  // Claiming our own mark fails only if the kill switch claimed it first.
  const untouched = await store.dedup.claim(markOf(env, token), now, ttlMs).catch(() => true);
  return !untouched;
}
