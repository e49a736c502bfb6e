import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * The fake Heroku API's budget and caching behaviour (PROTOCOLS.md §C1): a 4,500-token bucket refilled
 * about 75 a minute, strong ETags on GET answers, and `304 Not Modified` with an empty body when
 * `If-None-Match` matches (Heroku's schema, "Caching"). Heroku does not say a 304 is free, so the
 * fake charges a token for it like any request.
 */

export const BUCKET = 4500;
export const REFILL_PER_MINUTE = 75;

/** Whole tokens earned since `refilledAt` by `now`, never above the bucket; the remainder carries over. */
export function refill(remaining: number, refilledAt: number, now: number): { remaining: number; refilledAt: number } {
  const tokens = Math.floor(((now - refilledAt) * REFILL_PER_MINUTE) / 60_000);
  if (tokens <= 0) return { remaining, refilledAt };
  return {
    remaining: Math.min(BUCKET, remaining + tokens),
    refilledAt: refilledAt + (tokens * 60_000) / REFILL_PER_MINUTE,
  };
}

/** A strong ETag over the JSON answer (Heroku's are opaque quoted strings). */
export function etagOf(body: unknown): string {
  return `"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
}

/** "a 304 Not Modified status will be returned with an empty body", with the usual headers. */
export function sendNotModified(res: ServerResponse, etag: string, remaining: number): void {
  res.writeHead(304, { ETag: etag, 'RateLimit-Remaining': String(remaining), 'Request-Id': randomUUID() });
  res.end();
}
