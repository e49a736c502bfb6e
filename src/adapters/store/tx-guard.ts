import { AsyncLocalStorage } from 'node:async_hooks';
import { AppError } from '../../errors.ts';

/**
 * Catches a transaction callback that calls its outer `Db` instead of the `tx` it was given. On
 * SQLite that waits on the connection's own mutex, on PostgreSQL on its own row locks: both hang
 * forever, so fail fast with a message that names the mistake.
 */
export class TxGuard {
  private readonly als = new AsyncLocalStorage<{ active: boolean }>();

  /** Run a transaction callback, marking its async context as "inside this Db's transaction". */
  async within<T>(fn: () => Promise<T>): Promise<T> {
    const flag = { active: true };
    try {
      return await this.als.run(flag, fn);
    } finally {
      // Work the callback left running in the background may use the Db once the tx has ended.
      flag.active = false;
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
