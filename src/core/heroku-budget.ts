/**
 * The Heroku API budget, as pure arithmetic (no clock, no I/O: callers pass `now` and what Heroku said).
 *
 * Heroku gives each account a bucket of 4,500 request tokens, refilled at about 75 a minute, reports
 * what is left in `RateLimit-Remaining` on every response, and answers 429 when it is empty
 * (Platform API reference, "Rate Limits"; PROTOCOLS.md §C1). The bucket is shared by everything that
 * uses the account (the CLI, the dashboard, other bots), so the bot treats it as scarce: reads
 * nobody must have (status, Home) give way first, so deploys, rollbacks and the kill switch always
 * keep a reserve.
 */

/** Heroku's bucket size (tokens per account). */
export const HEROKU_RATE_LIMIT = 4500;
/** Heroku refills about this many tokens a minute. */
export const HEROKU_REFILL_PER_MINUTE = 75;

/**
 * `low`: nice-to-have reads (`flag status`, Home refreshes): served from the cache, refused below the floor.
 * `essential`: deploys, rollbacks, flag flips and the kill switch: never refused by the bot (only Heroku's 429 can).
 */
export type HerokuPriority = 'low' | 'essential';

/**
 * Below this many tokens, low-priority reads are no longer sent: they are answered from the cache
 * (however old) or refused. 1,125 is a quarter of the bucket, about 15 minutes of refill: enough
 * for several deploys (≈ 30 requests each) and any number of kill switches.
 */
export const LOW_PRIORITY_FLOOR = 1125;

/** Above this, polling runs at its normal pace; below, it slows in proportion. */
export const POLL_SLOWDOWN_START = HEROKU_RATE_LIMIT / 2;
/** At most this many times slower than normal, however little is left. */
export const MAX_POLL_SLOWDOWN = 8;
/** Each unanswered poll waits this much longer than the one before (up to the step's cap). */
export const POLL_BACKOFF = 1.5;

/** What was last heard from Heroku: tokens left, and when (ms since epoch). */
export interface BudgetReading {
  remaining: number;
  at: number;
}

/** Tokens left now, given the last reading and Heroku's refill; null when Heroku has not said yet. */
export function estimateRemaining(last: BudgetReading | null, now: number): number | null {
  if (!last) return null;
  const refilled = (Math.max(0, now - last.at) / 60_000) * HEROKU_REFILL_PER_MINUTE;
  return Math.min(HEROKU_RATE_LIMIT, Math.floor(last.remaining + refilled));
}

/** May a request of this priority be sent now? Unknown budget (first call) always may. */
export function mayCall(priority: HerokuPriority, remaining: number | null, floor = LOW_PRIORITY_FLOOR): boolean {
  return priority === 'essential' || remaining === null || remaining >= floor;
}

/** How many times slower than normal polling should be with `remaining` tokens left (1 = normal). */
export function pollSlowdown(remaining: number | null): number {
  if (remaining === null || remaining >= POLL_SLOWDOWN_START) return 1;
  return Math.min(MAX_POLL_SLOWDOWN, POLL_SLOWDOWN_START / Math.max(1, remaining));
}

/**
 * The wait before poll number `attempt` (0-based) of work that takes minutes (a build, a backup):
 * `baseMs`, growing by POLL_BACKOFF per poll up to `capMs`, then stretched by pollSlowdown.
 * A 10-minute build costs about 25 polls at full budget instead of 120 at a fixed 5 s.
 */
export function pollDelayMs(baseMs: number, capMs: number, attempt: number, remaining: number | null): number {
  const backedOff = Math.min(Math.max(baseMs, capMs), baseMs * POLL_BACKOFF ** Math.max(0, attempt));
  return Math.round(backedOff * pollSlowdown(remaining));
}
