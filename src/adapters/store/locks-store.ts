import { AppError } from '../../errors.ts';
import type { AcquireResult, LockInfo, LockStore } from '../../ports/stores/locks.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

const COLUMNS = 'env, holder_id, kind, reason, token, acquired_at, expires_at';

/** A holder may release between our failed take and our read of who holds it; retry that few times. */
const ACQUIRE_ATTEMPTS = 3;

/** Per-environment locks on the shared SQL surface, safe with several instances racing. */
export function createLockStore(db: Db): LockStore {
  return {
    async acquire(lock) {
      for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
        const result = await db.transaction(async (tx): Promise<AcquireResult | null> => {
          // One atomic statement: insert if free, or take over only if the current lock has
          // expired. Under a race PostgreSQL makes the loser wait and then re-checks the WHERE
          // against the winner's row, so exactly one caller sees a changed row.
          const { changes } = await tx.run(
            `INSERT INTO env_locks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (env) DO UPDATE SET holder_id = excluded.holder_id, kind = excluded.kind, reason = excluded.reason,
               token = excluded.token, acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
             WHERE env_locks.expires_at IS NOT NULL AND env_locks.expires_at <= excluded.acquired_at`,
            [lock.env, lock.holderId, lock.kind, lock.reason, lock.token, lock.acquiredAt, lock.expiresAt],
          );
          if (changes === 1) return { ok: true, lock: { ...lock } };
          const rows = await tx.query(`SELECT ${COLUMNS} FROM env_locks WHERE env = ?`, [lock.env]);
          return rows[0] ? { ok: false, heldBy: toLock(rows[0]) } : null;
        });
        if (result) return result;
      }
      throw new AppError(
        'store_failed',
        `The lock on ${lock.env} kept changing hands while we tried to take it; try again.`,
      );
    },

    async release(env, token) {
      const { changes } =
        token === null
          ? await db.run('DELETE FROM env_locks WHERE env = ?', [env])
          : await db.run('DELETE FROM env_locks WHERE env = ? AND token = ?', [env, token]);
      return changes === 1;
    },

    async convert(env, token, to) {
      // Keyed on the token, not on expiry: an expired lock that nobody took over is still ours to
      // convert, and one taken over carries another token, so it is left alone.
      const { changes } = await db.run(
        'UPDATE env_locks SET kind = ?, reason = ?, holder_id = ?, expires_at = ? WHERE env = ? AND token = ?',
        [to.kind, to.reason, to.holderId, to.expiresAt, env, token],
      );
      return changes === 1;
    },

    async get(env, now) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM env_locks WHERE env = ? AND (expires_at IS NULL OR expires_at > ?)`,
        [env, now],
      );
      return rows[0] ? toLock(rows[0]) : null;
    },
  };
}

function toLock(r: Row): LockInfo {
  return {
    env: col.str(r, 'env'),
    holderId: col.str(r, 'holder_id'),
    kind: col.str(r, 'kind'),
    reason: col.str(r, 'reason'),
    token: col.str(r, 'token'),
    acquiredAt: col.num(r, 'acquired_at'),
    expiresAt: col.numOrNull(r, 'expires_at'),
  };
}
