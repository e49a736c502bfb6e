/**
 * The one record of when each kind of Slack call may next be made, shared by everything that
 * talks to Slack in a process: chat.postMessage per channel ("generally 1 message per second per
 * channel", PROTOCOLS.md §A5) and chat.update per workspace (Tier 3, 50+/min). A 429's
 * Retry-After pushes a key out for every caller. Command replies and the alert delivery worker
 * post to the same channels, so two pacers would each allow 1/s and together 2/s.
 * In memory on purpose: after a restart Slack's own 429s re-teach us, and nothing is lost.
 * Time comes in through `now` and `sleep`, so tests drive it.
 */
export class SlackPacer {
  private readonly readyAt = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** True when `key` may be used at `now`. */
  ready(key: string, now: number): boolean {
    return (this.readyAt.get(key) ?? 0) <= now;
  }

  /** Record a call on `key`: the next one waits `intervalMs`. */
  used(key: string, now: number, intervalMs: number): void {
    this.readyAt.set(key, Math.max(this.readyAt.get(key) ?? 0, now + intervalMs));
  }

  /** Slack said wait (Retry-After) or we back off after a failure. */
  pauseUntil(key: string, until: number): void {
    this.readyAt.set(key, Math.max(this.readyAt.get(key) ?? 0, until));
  }

  /** Earliest time after `now` at which any of `keys` becomes ready (for the worker's sleep). */
  nextReady(keys: readonly string[], now: number): number | null {
    let best: number | null = null;
    for (const k of keys) {
      const t = this.readyAt.get(k) ?? 0;
      if (t > now && (best === null || t < best)) best = t;
    }
    return best;
  }

  /**
   * Wait until `key` is ready, run `fn`, then keep the key for `intervalMs`; calls on one key run
   * in call order. For callers that can wait (a command's reply); the delivery worker, which must
   * not block other channels, asks `ready` instead.
   */
  run<T>(key: string, intervalMs: number, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(async () => {
      const wait = (this.readyAt.get(key) ?? 0) - this.now();
      if (wait > 0) await this.sleep(wait);
      // Counted from when the call finished: Slack counts arrivals, and a slow first request
      // would otherwise let the second arrive less than intervalMs after it.
      try {
        return await fn();
      } finally {
        this.used(key, this.now(), intervalMs);
      }
    });
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // Forget idle queues so the map does not grow with every channel ever posted to.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

/** The pacer key for updates (workspace-wide) and for posts to a channel. */
export const UPDATE_KEY = 'update';
export const postKey = (channel: string) => `post:${channel}`;
