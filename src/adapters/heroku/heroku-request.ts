import { createRequire } from 'node:module';

/**
 * One HTTP call through heroku-client's request engine, with its blind retries switched off.
 *
 * Why not `new Heroku().request()`: heroku-client 3.1.4 retries socket-level errors up to 4 times
 * (lib/request.js handleError), and after its own `timeout` fires it aborts the socket, which emits
 * an error that schedules that retry, so a timed-out PATCH or POST is silently sent again a second
 * later, after we already told the user it failed (reproduced against test/fakes/fake-heroku-api.ts).
 * Starting the Request with `retries = 4` makes handleError reject instead. Retries are then the
 * adapter's decision (only idempotent GETs, see heroku-adapter.ts).
 */

/** What the adapter passes per call (heroku-client option names). */
export interface HerokuCall {
  host: string;
  token: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not follow `Next-Range` (heroku-client concatenates every page otherwise). */
  partial?: boolean;
  timeoutMs: number;
  /** With an `If-None-Match` header: the body Heroku's `304 Not Modified` stands for. */
  cachedBody?: unknown;
}

/** Response headers the error mapping needs; heroku-client drops them from its errors. */
export interface SeenHeaders {
  status: number | null;
  rateLimitRemaining: string | null;
  retryAfter: string | null;
  etag?: string | null;
}

interface HerokuRequestInstance {
  retries?: number;
  /** What heroku-client answers a 304 with (it reads `cachedResponse.body`, and never sets it itself in 3.1.4). */
  cachedResponse?: { body: unknown };
  request(): Promise<unknown>;
}
type HerokuRequestCtor = new (options: Record<string, unknown>) => HerokuRequestInstance;

// lib/request.js is heroku-client's own engine (its package has no "exports" map restricting it).
const HerokuRequest = createRequire(import.meta.url)('heroku-client/lib/request.js') as HerokuRequestCtor;

/** heroku-client's limit for socket-level retries; starting there disables them. */
const HEROKU_CLIENT_MAX_RETRIES = 4;

/** Send one request; resolves with the parsed body, rejects with heroku-client's error. */
export function sendHerokuRequest(call: HerokuCall, seen: SeenHeaders): Promise<unknown> {
  const request = new HerokuRequest({
    host: call.host,
    token: call.token,
    method: call.method,
    path: call.path,
    body: call.body,
    // heroku-client sends the key as Basic `:key` (request.js `auth`); Heroku's docs show Bearer.
    // Node's http only adds the Basic header when no Authorization header is set, so this one wins.
    headers: { ...call.headers, Authorization: `Bearer ${call.token}` },
    partial: call.partial ?? false,
    timeout: call.timeoutMs,
    // Runs before heroku-client reads the body: keep the headers its errors do not carry.
    middleware: (
      res: { statusCode?: number; headers: Record<string, string | string[] | undefined> },
      next: () => void,
    ) => {
      seen.status = res.statusCode ?? null;
      seen.rateLimitRemaining = header(res.headers['ratelimit-remaining']);
      seen.retryAfter = header(res.headers['retry-after']);
      seen.etag = header(res.headers.etag);
      if (res.statusCode === 304) (res as unknown as { resume(): void }).resume(); // no body; free the socket
      next();
    },
  });
  request.retries = HEROKU_CLIENT_MAX_RETRIES;
  if (call.cachedBody !== undefined) request.cachedResponse = { body: call.cachedBody };
  return request.request();
}

function header(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}
