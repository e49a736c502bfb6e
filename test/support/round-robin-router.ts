import { createServer, request, type Server } from 'node:http';
import { listenLocal } from '../fakes/fake-http-io.ts';

/**
 * Heroku's router in front of several web dynos (issue 19 §7): each request goes to the next dyno in
 * turn; a dyno that refuses the connection (crashed) is skipped, as the router stops routing to a
 * crashed dyno. Counts what each dyno answered, so a test sees the load really was spread.
 */
export interface RoundRobinRouter {
  url: string;
  /** Requests each backend answered, by index. */
  served: number[];
  /** Which backend answered each request, in order. */
  answeredBy: number[];
  /** Every request passed on: to which backend, and its path. */
  requests: { backend: number; method: string; path: string }[];
  close(): Promise<void>;
}

export async function startRoundRobinRouter(backends: () => readonly (string | null)[]): Promise<RoundRobinRouter> {
  let next = 0;
  const served: number[] = [];
  const answeredBy: number[] = [];
  const requests: RoundRobinRouter['requests'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const all = backends();
      const attempt = (tries: number): void => {
        const i = next++ % all.length;
        const base = all[i];
        if (!base) return tries > 0 ? attempt(tries - 1) : fail();
        const up = request(
          `${base}${req.url ?? '/'}`,
          { method: req.method, headers: { ...req.headers, host: new URL(base).host } },
          (r) => {
            served[i] = (served[i] ?? 0) + 1;
            answeredBy.push(i);
            requests.push({ backend: i, method: req.method ?? 'GET', path: req.url ?? '/' });
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
          },
        );
        up.on('error', () => (tries > 0 ? attempt(tries - 1) : fail()));
        up.end(body);
      };
      // Heroku's H13-ish answer when no dyno took the request.
      const fail = () => {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('no web dyno answered');
      };
      attempt(all.length);
    });
  });
  const { url, close } = await listenLocal(server);
  return { url, served, answeredBy, requests, close };
}
