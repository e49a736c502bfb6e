import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP call to the Heroku Platform or Data API, sent once.
 *
 * Why not heroku-client: through its public API (`new Heroku().request()`) it retries socket-level
 * errors up to 4 times (lib/request.js handleError), and when its own `timeout` fires it aborts the
 * socket, which emits an error that schedules that retry: a timed-out PATCH or POST is silently sent
 * again a second later, after we told the user it failed. No documented option turns that off, and
 * without its timeout a hung write cannot be aborted at all. Retries, caching (ETag / If-None-Match
 * → 304), RateLimit-Remaining and paging are the adapter's own (heroku-adapter.ts,
 * heroku-read-cache.ts), so only the wire format is left, and it is small: Heroku's v3 Accept
 * header, JSON bodies, `Range` / `Next-Range` paging (Platform API reference, "Ranges").
 */

/** What the adapter passes per call. */
export interface HerokuCall {
  /** Base URL of the API, e.g. https://api.heroku.com (its path, if any, is not used, as before). */
  host: string;
  token: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not follow `Next-Range` (every page is fetched and concatenated otherwise). */
  partial?: boolean;
  /** The socket may stay silent this long before the call fails as a timeout. */
  timeoutMs: number;
  /** With an `If-None-Match` header: the body Heroku's `304 Not Modified` stands for. */
  cachedBody?: unknown;
}

/** Response headers the adapter reads (budget, Retry-After, ETag), from the last response. */
export interface SeenHeaders {
  status: number | null;
  rateLimitRemaining: string | null;
  retryAfter: string | null;
  etag?: string | null;
}

/** What a failed call rejects with: an HTTP status with Heroku's `{id, message}` body, or a socket error. */
export class HerokuHttpError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly body: unknown,
    readonly code: string | undefined,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

/** The first page asked for when the caller names none: Heroku's largest (the reference's cap). */
const FIRST_RANGE = 'id ..; max=1000';

/** An idle kept-alive connection is closed after this (or sooner, when the server's Keep-Alive hint says so). */
export const READ_KEEP_ALIVE_IDLE_MS = 4_000;

/**
 * Reads reuse connections: a new TCP (and, to Heroku, TLS) connection per GET cost every read CPU
 * (`connect` alone was about 5% of a change's sampled CPU at 500 `flag on`/s, two reads per plan;
 * docs/BENCHMARKS.md, "CPU per request by kind"). Writes still get
 * a connection of their own: they are never resent, so a kept-alive socket the server has just
 * closed must not fail one. A read that meets such a socket is sent once more on a new connection
 * (see sendOnce), which a GET allows.
 */
// No cap on sockets: a request queued in the agent has no socket yet, so its timeout is not running,
// and a kill switch's or rollback's read must never wait behind reads Heroku is slow to answer.
const readAgents = {
  http: new http.Agent({ keepAlive: true, timeout: READ_KEEP_ALIVE_IDLE_MS }),
  https: new https.Agent({ keepAlive: true, timeout: READ_KEEP_ALIVE_IDLE_MS }),
};

/** Socket errors that mean a reused connection was already closed by the server, before any answer. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** Send one request (and, unless `partial`, one per further page); resolves with the parsed body. */
export async function sendHerokuRequest(call: HerokuCall, seen: SeenHeaders): Promise<unknown> {
  let range = call.headers?.Range ?? FIRST_RANGE;
  let pages: unknown[] | undefined;
  for (;;) {
    const page = await sendOnce(call, range, seen);
    const next = page.nextRange;
    if (!Array.isArray(page.body)) return page.body;
    pages = pages ? pages.concat(page.body) : page.body;
    if (call.partial || !next) return pages;
    range = next;
  }
}

interface Page {
  body: unknown;
  nextRange: string | null;
}

function sendOnce(call: HerokuCall, range: string, seen: SeenHeaders, fresh = false): Promise<Page> {
  const base = new URL(/^https?:\/\//.test(call.host) ? call.host : `https://${call.host}`);
  const secure = base.protocol === 'https:';
  const payload = call.body === undefined ? '' : JSON.stringify(call.body);
  const options: https.RequestOptions = {
    host: base.hostname,
    port: base.port || (secure ? 443 : 80),
    path: call.path,
    method: call.method,
    // A write gets a new connection, as heroku-client made: no keep-alive socket Heroku may have closed.
    agent: call.method === 'GET' && !fresh ? (secure ? readAgents.https : readAgents.http) : false,
    headers: {
      Accept: 'application/vnd.heroku+json; version=3',
      'Content-Type': 'application/json',
      'User-Agent': 'autorisen-bot',
      ...call.headers,
      Range: range,
      // Heroku's docs show Bearer (heroku-client sent Basic `:key`).
      Authorization: `Bearer ${call.token}`,
      'Content-Length': String(Buffer.byteLength(payload)),
    },
  };
  return new Promise<Page>((resolve, reject) => {
    let answered = false;
    const req = (secure ? https : http).request(options, (res) => {
      answered = true;
      const status = res.statusCode ?? 0;
      seen.status = status;
      seen.rateLimitRemaining = header(res.headers['ratelimit-remaining']);
      seen.retryAfter = header(res.headers['retry-after']);
      seen.etag = header(res.headers.etag);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (status === 304 && call.cachedBody !== undefined) {
          resolve({ body: call.cachedBody, nextRange: null });
        } else if (status >= 200 && status < 300) {
          try {
            resolve({ body: JSON.parse(text || '{}'), nextRange: header(res.headers['next-range']) });
          } catch {
            reject(
              new HerokuHttpError(`Heroku answered ${status} with a body that is not JSON`, status, text, undefined),
            );
          }
        } else {
          reject(
            new HerokuHttpError(`Expected response to be successful, got ${status}`, status, parsed(text), undefined),
          );
        }
      });
    });
    // An idle socket for timeoutMs: give up on it. Never resent (the write may have been applied).
    let timedOut = false;
    req.setTimeout(call.timeoutMs, () => {
      timedOut = true;
      req.destroy();
      reject(
        new HerokuHttpError(
          `Request took longer than ${call.timeoutMs}ms to complete.`,
          undefined,
          undefined,
          undefined,
          true,
        ),
      );
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server closed a kept-alive connection as we reused it: nothing was answered; read again.
      const stale = req.reusedSocket && !answered && !timedOut && STALE_SOCKET.has(err.code ?? '');
      if (stale && call.method === 'GET' && !fresh) return resolve(sendOnce(call, range, seen, true));
      reject(new HerokuHttpError(err.message, undefined, undefined, err.code));
    });
    req.end(payload);
  });
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return text;
  }
}

function header(v: string | string[] | undefined): string | null {
  if (v === undefined) return null;
  return Array.isArray(v) ? (v[0] ?? null) : v;
}
