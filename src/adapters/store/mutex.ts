/**
 * A FIFO async mutex. better-sqlite3 is synchronous and one connection has one transaction, so a
 * transaction whose callback awaits must keep every other caller of the same connection out until
 * it commits or rolls back; otherwise their statements would silently join (or see) it.
 */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Holders and waiters not yet settled. */
  private pending = 0;

  /**
   * Nobody holds or waits for the mutex: synchronous work done now cannot interleave with anyone
   * (the SQLite fast path runs a lone statement without queueing on it).
   */
  get idle(): boolean {
    return this.pending === 0;
  }

  /** Run `fn` once every earlier holder has finished; its result or error is passed through. */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    this.pending++;
    const result = this.tail.then(() => fn());
    // The next waiter starts when this one settles, whether it succeeded or not.
    this.tail = result.then(
      () => {
        this.pending--;
      },
      () => {
        this.pending--;
      },
    );
    return result;
  }
}
