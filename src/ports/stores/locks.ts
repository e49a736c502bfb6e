/** A per-environment lock shared by deploy, rollback and flag changes, across instances. */
export interface LockInfo {
  env: string;
  holderId: string;
  /** "deploy" | "rollback" | "flag" | "manual" */
  kind: string;
  reason: string;
  /** Opaque token the holder must present to release it. */
  token: string;
  acquiredAt: number;
  /** Automatic locks expire so a crash never freezes an env forever; manual locks have null. */
  expiresAt: number | null;
}

/** What a held lock becomes when its holder hands it on without letting go (see LockStore.convert). */
export type LockConversion = Pick<LockInfo, 'kind' | 'reason' | 'holderId' | 'expiresAt'>;

export type AcquireResult = { ok: true; lock: LockInfo } | { ok: false; heldBy: LockInfo };

export interface LockStore {
  /** Take the lock if free or expired (at `lock.acquiredAt`). */
  acquire(lock: LockInfo): Promise<AcquireResult>;
  /** Release if `token` matches (or `token` is null: force, for /autorisen unlock). */
  release(env: string, token: string | null): Promise<boolean>;
  get(env: string, now: number): Promise<LockInfo | null>;
  /**
   * Turn the lock held with `token` into another kind in one statement (a finished rollback's lock
   * becomes a manual freeze), so no other lock can land in between. False when `token` no longer
   * holds it (released, or taken over after expiring); nothing changes then.
   */
  convert(env: string, token: string, to: LockConversion): Promise<boolean>;
}
