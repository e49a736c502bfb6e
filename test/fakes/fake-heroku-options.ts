import type { IncomingMessage } from 'node:http';
import type { SeedApp } from './fake-heroku-model.ts';

/** The shapes the fake Heroku API (fake-heroku-api.ts) records and is configured with, and its fault matching. */

export interface RecordedRequest {
  surface: 'platform' | 'data' | 'stream';
  method: string;
  path: string;
  query: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** When it arrived (the injected clock's time when there is one). */
  at: number;
}

/** Answer the next `times` matching requests with an error status (or hang: never answer). */
export interface Fault {
  status?: 401 | 403 | 404 | 406 | 416 | 422 | 429 | 500 | 502 | 503;
  hang?: boolean;
  /** Answer normally, but only after this many ms (to hold two requests in flight at once). */
  delayMs?: number;
  /** Answer normally once this resolves (a test-controlled gate: the request is in flight until then). */
  until?: Promise<void>;
  times?: number;
  method?: string;
  /** Exact path (no query) or a pattern. */
  path?: string | RegExp;
  /** Seconds, sent as `Retry-After` (Heroku's 429 has none by default). */
  retryAfter?: number;
  /** Override the error body's message. */
  message?: string;
}

/** What happens to new builds: finish on the Nth GET, or stay pending until completeBuild(). */
export interface BuildBehaviour {
  outcome: 'succeeded' | 'failed' | 'manual';
  afterPolls: number;
  lines: string[];
}

export interface FakeHerokuOptions {
  apiKey?: string;
  apps?: SeedApp[];
  /** Email Heroku records as the user of releases made with the key. */
  userEmail?: string;
  /**
   * With a clock, the rate limit refills like Heroku's (75 tokens a minute, up to 4,500) by that
   * clock's time; without one it only drains (tests set `rateLimitRemaining` by hand).
   */
  now?: () => number;
}

/** The first queued fault matching the request, counted down; the faults still pending after it. */
export function takeMatchingFault<F extends Fault & { remaining: number }>(
  faults: F[],
  method: string,
  path: string,
): { fault: F | undefined; rest: F[] } {
  const f = faults.find(
    (x) =>
      x.remaining > 0 &&
      (!x.method || x.method === method) &&
      (!x.path || (typeof x.path === 'string' ? x.path === path : x.path.test(path))),
  );
  if (f) f.remaining--;
  return { fault: f, rest: faults.filter((x) => x.remaining > 0) };
}

/** The whole request body as UTF-8. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
