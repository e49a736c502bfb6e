/**
 * Spaces work per key (a channel) at least `intervalMs` apart. Slack allows chat.postMessage
 * "generally 1 message per second per channel" (PROTOCOLS.md §A5), so an alert storm is paced
 * instead of tripping 429s. Channels are independent of each other.
 */
export class KeyedPacer {
  private readonly next = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Run `fn` once the key's previous run finished at least intervalMs ago, in call order. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    if (this.intervalMs <= 0) return fn();
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(async () => {
      const wait = (this.next.get(key) ?? 0) - this.now();
      if (wait > 0) await this.sleep(wait);
      // Counted from when the previous call finished: Slack counts arrivals, and a slow first
      // request would otherwise let the second arrive less than intervalMs after it.
      try {
        return await fn();
      } finally {
        this.next.set(key, this.now() + this.intervalMs);
      }
    });
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget idle keys so the maps don't grow with every channel ever posted to.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
