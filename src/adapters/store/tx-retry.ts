import { pgCode } from './sqlstate.ts';

/**
 * PostgreSQL aborts one of two transactions that wait on each other (SQLSTATE 40P01, deadlock
 * detected) or that cannot be serialised (40001); the documented remedy is to run the aborted
 * transaction again (postgresql.org/docs/current/mvcc-serialization-failure-handling.html). The
 * whole transaction rolled back, so re-running it is safe. SQLite never raises these (one writer).
 */
export const RETRYABLE_SQLSTATES = ['40P01', '40001'] as const;

/** Attempts in all before the failure is passed on (→ 503 for a webhook, so the sender retries). */
export const MAX_TX_ATTEMPTS = 6;

export function isRetryableTxError(err: unknown): boolean {
  return (RETRYABLE_SQLSTATES as readonly (string | undefined)[]).includes(pgCode(err));
}

/**
 * Run `tx` (one whole database transaction) and run it again after a deadlock or serialisation
 * failure, up to MAX_TX_ATTEMPTS times, with a short jittered pause so the two do not collide again.
 */
export async function withTxRetry<T>(tx: () => Promise<T>, attempts = MAX_TX_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await tx();
    } catch (err) {
      if (attempt >= attempts || !isRetryableTxError(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * 2 ** attempt));
    }
  }
}
