import { createServer as createHttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { HerokuHttpError, sendHerokuRequest, type HerokuCall } from '../../src/adapters/heroku/heroku-request.ts';

/**
 * Heroku reads reuse kept-alive connections (a new connection per GET cost every read CPU); writes
 * never do, and a read that meets a connection the server has just closed
 * is read again on a new one. The server here speaks just enough HTTP/1.1 to close a kept-alive
 * connection at the worst moment, which the fake Heroku API (like Heroku) never does on purpose.
 */
let server: Server | undefined;
const sockets = new Set<Socket>();
afterEach(async () => {
  // A net server waits for open connections; the client keeps its idle ones for a few seconds.
  for (const s of sockets) s.destroy();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** Answers `{}` with keep-alive, except the requests `drop` picks: their connection is closed unanswered. */
async function start(drop: (n: number, method: string) => boolean) {
  const seen = { connections: 0, requests: [] as string[] };
  server = createServer((socket) => {
    seen.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffered = '';
    socket.on('data', (chunk) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.slice(end + 4 + length);
        const method = head.split(' ')[0]!;
        seen.requests.push(method);
        if (drop(seen.requests.length, method)) return void socket.destroy();
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}',
        );
      }
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const host = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
  const send = (method: HerokuCall['method']) =>
    sendHerokuRequest(
      { host, token: 't', method, path: '/apps/a/config-vars', timeoutMs: 2_000 },
      { status: null, rateLimitRemaining: null, retryAfter: null },
    );
  return { seen, send };
}

it('reads share one connection; a write gets its own', async () => {
  const { seen, send } = await start(() => false);
  await send('GET');
  await send('GET');
  await send('GET');
  expect(seen.connections).toBe(1);
  await send('PATCH');
  expect(seen.connections).toBe(2);
});

it('a read whose kept-alive connection the server closed is read again on a new one, once', async () => {
  const { seen, send } = await start((n) => n === 2);
  await send('GET');
  expect(await send('GET')).toEqual({});
  expect(seen.requests).toEqual(['GET', 'GET', 'GET']);
  expect(seen.connections).toBe(2);
});

it('a write whose connection is closed unanswered fails and is never sent again', async () => {
  const { seen, send } = await start((_n, method) => method === 'PATCH');
  await send('GET');
  const err = await send('PATCH').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(HerokuHttpError);
  expect(seen.requests).toEqual(['GET', 'PATCH']);
});

it('a read on a new connection that is closed unanswered fails, not read again', async () => {
  const { seen, send } = await start(() => true);
  expect(await send('GET').catch((e: unknown) => e)).toBeInstanceOf(HerokuHttpError);
  expect(seen.requests).toEqual(['GET']);
});

it('a read is never queued behind reads Heroku has not answered yet', async () => {
  // Slow reads hold their connections; a read (a kill switch's, say) must get its own at once, not
  // wait for one of them to time out: a request waiting for a socket has no timeout running.
  const held: ServerResponse[] = [];
  const http = createHttpServer((req, res) => {
    if (req.url === '/slow') held.push(res);
    else res.end('{}');
  });
  http.on('connection', (s) => sockets.add(s));
  server = http;
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const host = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const read = (path: string) =>
    sendHerokuRequest(
      { host, token: 't', method: 'GET', path, timeoutMs: 60_000 },
      { status: null, rateLimitRemaining: null, retryAfter: null },
    );
  const slow = Array.from({ length: 20 }, () => read('/slow').catch(() => undefined));
  while (held.length < 20) await new Promise((r) => setImmediate(r));
  expect(await read('/apps/a/config-vars')).toEqual({});
  for (const res of held) res.end('{}');
  await Promise.all(slow);
});
