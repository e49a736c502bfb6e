import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, HttpError } from './fake-heroku-errors.ts';
import type { FakeApp } from './fake-heroku-model.ts';

/** The fake Heroku API's request checks and its build output stream (out of fake-heroku-api.ts). */

/** Heroku refuses any other Accept than version 3 (406). */
export function checkAccept(req: IncomingMessage): void {
  const accept = req.headers.accept ?? '';
  if (!/application\/vnd\.heroku\+json;\s*version=3/.test(accept)) throw new HttpError(406, errorBody(406));
}

/** Only the key as `Bearer <key>` (401 otherwise; heroku-client's default Basic is refused on purpose). */
export function checkAuth(req: IncomingMessage, apiKey: string): void {
  const h = req.headers.authorization ?? '';
  const key = h.startsWith('Bearer ') ? h.slice(7) : null;
  if (key !== apiKey) throw new HttpError(401, errorBody(401));
}

/** A build's output_stream_url: its lines as plain text, 404 for an unknown build. */
export function streamBuildOutput(apps: ReadonlyMap<string, FakeApp>, path: string, res: ServerResponse): void {
  const id = path.split('/').pop();
  const build = [...apps.values()].flatMap((a) => a.builds).find((b) => b.id === id);
  if (!build) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not Found');
    return;
  }
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(build.outputLines.map((l) => `${l}\n`).join(''));
}
