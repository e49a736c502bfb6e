import { AppError } from '../../errors.ts';
import {
  estimateRemaining,
  HEROKU_RATE_LIMIT,
  mayCall,
  type BudgetReading,
  type HerokuPriority,
} from '../../core/heroku-budget.ts';

/**
 * Shared, per-process state of the Heroku adapter views: the last `RateLimit-Remaining` Heroku sent,
 * and a short-lived cache of reads (config vars, releases) with their `ETag`s.
 *
 * Why per process and short: with several dynos each keeps its own copy, and nothing tells one dyno
 * that another changed a config var except Heroku's `api:release` webhook (which reaches only the
 * dyno the router picks). A short TTL bounds how stale a status can be; writes made through this
 * process and `api:release` webhooks drop the app's entries at once.
 */

/** How long a read is served without asking Heroku again (low-priority reads only). */
export const READ_CACHE_TTL_MS = 30_000;
/** Entries kept at most (a few apps × a few read shapes; the bound only guards against surprises). */
const MAX_ENTRIES = 500;

export interface CachedRead {
  app: string | null;
  etag: string | null;
  body: unknown;
  /** When Heroku last confirmed this body (200 or 304). */
  at: number;
}

/** The budget and cache one process shares between its Heroku adapter views. */
export class HerokuReadCache {
  private reading: BudgetReading | null = null;
  private readonly entries = new Map<string, CachedRead>();
  private readonly generations = new Map<string, number>();
  /** Low-priority reads on the wire, by cache key, with the app's generation when they were sent. */
  private readonly reads = new Map<string, { generation: number; promise: Promise<unknown> }>();
  /** Requests actually sent (for the day-in-the-life benchmark and logs). */
  sent = 0;

  constructor(
    readonly now: () => number = Date.now,
    readonly ttlMs = READ_CACHE_TTL_MS,
  ) {}

  /** Record `RateLimit-Remaining` from a response (ignores a missing or malformed header). */
  observe(header: string | null): void {
    if (header === null || !/^\d+$/.test(header)) return;
    this.reading = { remaining: Number(header), at: this.now() };
  }

  /** Tokens Heroku has left by our estimate (last header + refill since), null before the first answer. */
  remaining(): number | null {
    return estimateRemaining(this.reading, this.now());
  }

  mayCall(priority: HerokuPriority): boolean {
    return mayCall(priority, this.remaining());
  }

  /** The entry for `key` whatever its age (for revalidation and for serving stale when the budget is low). */
  get(key: string): CachedRead | undefined {
    return this.entries.get(key);
  }

  isFresh(entry: CachedRead): boolean {
    return this.now() - entry.at < this.ttlMs;
  }

  put(key: string, app: string | null, etag: string | null, body: unknown): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.delete(key);
    this.entries.set(key, { app, etag, body, at: this.now() });
  }

  /** Bumped by every invalidate(app): a read that saw it change while in flight is not cached. */
  generation(app: string | null): number {
    return app === null ? 0 : (this.generations.get(app) ?? 0);
  }

  /**
   * One request for concurrent low-priority reads of the same resource: when a cached copy expires
   * under load (hundreds of `flag status` a second), each read would otherwise send its own, spend
   * budget, and hold the event loop while each request is set up (bench/heroku-read-ack.ts:
   * dozens of identical requests at each expiry, and the slowest acks right after). A read joins one
   * sent no earlier than the app's last write or invalidation, so it never sees an answer that
   * predates a change it could know about.
   */
  shareRead(key: string, app: string | null, read: () => Promise<unknown>): Promise<unknown> {
    const generation = this.generation(app);
    const inFlight = this.reads.get(key);
    if (inFlight && inFlight.generation === generation) return inFlight.promise;
    const promise = read().finally(() => {
      if (this.reads.get(key)?.promise === promise) this.reads.delete(key);
    });
    this.reads.set(key, { generation, promise });
    return promise;
  }

  /** Forget everything read from `app` (after a write to it, or an `api:release` webhook about it). */
  invalidate(app: string): void {
    this.generations.set(app, this.generation(app) + 1);
    for (const [key, entry] of this.entries) if (entry.app === app) this.entries.delete(key);
  }
}

/** The error a low-priority read gets when the budget is kept for deploys, rollbacks and the kill switch. */
export function budgetRefusal(doing: string, remaining: number | null): AppError {
  return new AppError(
    'heroku_rate_limited',
    `Heroku's API budget is low (about ${remaining ?? 0} of ${HEROKU_RATE_LIMIT} requests left this hour), so I am keeping it for deploys, rollbacks and the kill switch and skipped ${doing}. Try again in a few minutes; \`flag off\` still works.`,
  );
}
