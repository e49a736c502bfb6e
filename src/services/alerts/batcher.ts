/**
 * Group commit: requests that arrive together share one database transaction, and each caller
 * is answered only after that transaction committed (so "stored before the 202" still holds).
 * Under a storm this turns thousands of fsyncs a second into a few dozen; alone, a request waits
 * only for the next turn of the event loop.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  private running = false;

  constructor(
    private readonly commit: (items: I[]) => Promise<O[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.commit(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(results[i]!));
      } catch (err) {
        // All or nothing: every request in the failed transaction is told so (→ 503, sender retries).
        for (const b of batch) b.reject(err);
      }
    }
    this.running = false;
  }
}
