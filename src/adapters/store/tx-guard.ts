import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../../errors.ts';

/**
 * Catches a transaction callback that calls its outer `Db` instead of the `tx` it was given. On
 * SQLite that waits on the connection's own mutex, on PostgreSQL on its own row locks: both hang
 * forever, so fail fast with a message that names the mistake.
 *
 * The AsyncLocalStorage is switched off whenever no transaction is running. On Node 20 an enabled
 * one installs promise hooks for the whole process, so every promise anywhere (every request's
 * parse, dispatch and reply) paid for them from the first transaction on: an `await` cost about 3×
 * as much, and the hooks' own frames were 3–4% of each kind's sampled CPU at 500/s, their garbage
 * more (bench/change-ack.ts).
 */
export class TxGuard {
  private readonly als = new AsyncLocalStorage<{ active: boolean }>();
  /** Transactions whose callback has not finished (PostgreSQL runs several at once). */
  private running = 0;

  /** Run a transaction callback, marking its async context as "inside this Db's transaction". */
  async within<T>(fn: () => Promise<T>): Promise<T> {
    const flag = { active: true };
    this.running++;
    try {
      return await this.als.run(flag, fn);
    } finally {
      // Work the callback left running in the background may use the Db once the tx has ended.
      flag.active = false;
      // None running: no callback can be inside one, so nothing needs the context until the next run().
      if (--this.running === 0) this.als.disable();
    }
  }

  /** Throw if called from inside this Db's own transaction callback. */
  check(): void {
    if (this.als.getStore()?.active) {
      throw new AppError(
        'internal',
        'A transaction callback used the outer database handle; use the `tx` handle it was given (this would deadlock).',
      );
    }
  }
}
