import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { EventEmitter } from 'node:events';
import { answerMethod, parseArgs } from './fake-slack-methods.ts';
import { FakeViews } from './fake-slack-views.ts';
import { readBody, send } from './fake-http-io.ts';
import { postRates } from './fake-slack-rates.ts';
import type {
  ChannelRate,
  ExtraMethod,
  FakeSlackOptions,
  FakeUsergroup,
  Injection,
  PublishedHome,
  ResponsePost,
  SlackCall,
  StoredMessage,
} from './fake-slack-types.ts';

/**
 * A real HTTP server that answers like Slack's Web API as @slack/web-api v8 calls it
 * (PROTOCOLS.md §A5): POST `<apiUrl><method>`, form-encoded (non-string args JSON-encoded per field)
 * or JSON, `Authorization: Bearer <token>`, always HTTP 200 with `{ok:true,…}` / `{ok:false,error}`
 * except 429 + `Retry-After`. Also a `response_url` sink at `POST /response/<id>` (JSON bodies).
 * It records everything and exposes data; tests decide what is right.
 */

// The shapes the fake records and its options live in fake-slack-types.ts; re-exported for tests.
export type * from './fake-slack-types.ts';

/** Start with `await FakeSlackApi.start()`; stop with `close()`. */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly responses: ResponsePost[] = [];
  readonly messages = new Map<string, StoredMessage>();
  usergroups: FakeUsergroup[];
  /** Home tabs as views.publish left them, by user id (fake-slack-methods.ts). */
  readonly homeViews = new Map<string, PublishedHome>();
  /** Modals views.open opened, and the trigger_ids Slack handed out (fake-slack-views.ts). */
  readonly views: FakeViews;
  private readonly extraMethods = new Map<string, ExtraMethod>();
  private readonly events = new EventEmitter();
  private readonly injections = new Map<string, Injection[]>();
  private readonly sinkFailures: number[] = [];
  private downMode: 'none' | '503' | 'refused' = 'none';
  private lastTsMicros = 0;
  private port = 0;
  private server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(readonly options: FakeSlackOptions) {
    this.usergroups = options.usergroups ?? [];
    this.views = new FakeViews(options.botId ?? 'B0FAKEBOT');
    this.server = this.makeServer();
    this.events.setMaxListeners(100);
  }

  /** Listen on 127.0.0.1, port 0. */
  static async start(options: FakeSlackOptions = {}): Promise<FakeSlackApi> {
    const fake = new FakeSlackApi(options);
    await fake.listen(0);
    return fake;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Web API base for `slackApiUrl` / config.slack.apiUrl (ends with "/", §A5). */
  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  /** A response_url pointing at the sink; posts to it are recorded under `id`. */
  responseUrl(id: string): string {
    return `${this.url}/response/${encodeURIComponent(id)}`;
  }

  /** Calls of one method, in arrival order. */
  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolve once `n` calls match (already-recorded ones count); reject after `timeoutMs`. */
  waitForCalls(match: string | ((c: SlackCall) => boolean), n = 1, timeoutMs = 5000): Promise<SlackCall[]> {
    const pred = typeof match === 'string' ? (c: SlackCall) => c.method === match : match;
    return this.waitFor(
      'call',
      () => this.calls.filter(pred),
      n,
      timeoutMs,
      `${n} Slack call(s) matching ${String(match)}`,
    );
  }

  /** Resolve once `n` response_url posts match (optionally only those to `id`). */
  waitForResponses(n = 1, match?: string | ((r: ResponsePost) => boolean), timeoutMs = 5000): Promise<ResponsePost[]> {
    const pred =
      match === undefined ? () => true : typeof match === 'string' ? (r: ResponsePost) => r.id === match : match;
    return this.waitFor('response', () => this.responses.filter(pred), n, timeoutMs, `${n} response_url post(s)`);
  }

  /**
   * What the user sees in answer to a command: the ack's message when it carried one (Slack shows it
   * like any reply; queries answer there when they are quick), else its first response_url post.
   */
  async answerTo(res: { json: unknown; responseId: string }, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const ack = res.json as Record<string, unknown> | null;
    if (ack && (ack.text !== undefined || ack.blocks !== undefined)) return ack;
    const [post] = await this.waitForResponses(1, res.responseId, timeoutMs);
    return post!.body;
  }

  /** Answer `method` with `answer`, which checks the token itself (app-level tokens are not the bot token). */
  addMethod(method: string, answer: ExtraMethod): void {
    this.extraMethods.set(method, answer);
  }

  /** The next `times` calls of `method` answer `{ok:false, error}` (e.g. "channel_not_found"). */
  failNext(method: string, error: string, times = 1): void {
    this.inject(method, { kind: 'error', error }, times);
  }

  /** The next `times` calls of `method` answer HTTP 429 with `Retry-After: retryAfterSec`. */
  rateLimitNext(method: string, retryAfterSec: number, times = 1): void {
    this.inject(method, { kind: 'ratelimit', retryAfterSec }, times);
  }

  /** The next `times` response_url posts answer `status` (e.g. 404 for an expired response_url). */
  failResponses(status: number, times = 1): void {
    for (let i = 0; i < times; i++) this.sinkFailures.push(status);
  }

  /** Take the whole API down: every request gets 503, or connections are refused (listener closed). */
  async down(mode: '503' | 'refused' = '503'): Promise<void> {
    this.downMode = mode;
    if (mode === 'refused') await this.closeListener();
  }

  /** Bring the API back on the same port. */
  async restore(): Promise<void> {
    const wasRefused = this.downMode === 'refused';
    this.downMode = 'none';
    if (wasRefused) {
      this.server = this.makeServer();
      await this.listen(this.port);
    }
  }

  /** chat.postMessage pacing per channel (successful posts only). */
  postRates(): ChannelRate[] {
    return postRates(this.callsTo('chat.postMessage'));
  }

  /** Forget recorded calls, responses, messages and pending injections. */
  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.messages.clear();
    this.homeViews.clear();
    this.injections.clear();
    this.sinkFailures.length = 0;
  }

  async close(): Promise<void> {
    this.downMode = 'none';
    await this.closeListener();
  }

  private inject(method: string, injection: Injection, times: number): void {
    const list = this.injections.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(injection);
    this.injections.set(method, list);
  }

  private waitFor<T>(event: string, current: () => T[], n: number, timeoutMs: number, what: string): Promise<T[]> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = current();
        if (found.length < n) return false;
        cleanup();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Slack: timed out after ${timeoutMs} ms waiting for ${what}; saw ${current().length}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off(event, check);
      };
      this.events.on(event, check);
      check();
    });
  }

  private makeServer(): Server {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private closeListener(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    if (this.downMode === '503') return send(res, 503, 'text/html', '<html><body>Service Unavailable</body></html>');
    if (path.startsWith('/response/'))
      return this.handleResponse(decodeURIComponent(path.slice('/response/'.length)), req, raw, res);
    if (!path.startsWith('/api/') || req.method !== 'POST') return send(res, 404, 'text/plain', 'not found');
    const method = path.slice('/api/'.length);
    const args = parseArgs(req.headers['content-type'] ?? '', raw);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : null;
    const call: SlackCall = { method, args, token, at: Date.now(), status: 200, error: null };

    const injected = this.injections.get(method)?.shift();
    let result: Record<string, unknown>;
    if (injected?.kind === 'ratelimit') {
      call.status = 429;
      call.error = 'ratelimited';
      this.record(call);
      res.writeHead(429, {
        'retry-after': String(injected.retryAfterSec),
        'content-type': 'application/json; charset=utf-8',
      });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    } else if (injected?.kind === 'error') {
      result = { ok: false, error: injected.error };
    } else if (this.extraMethods.has(method)) {
      result = this.extraMethods.get(method)!(token, args);
    } else if (token === null) {
      result = { ok: false, error: 'not_authed' };
    } else if (this.options.token !== undefined && token !== this.options.token) {
      result = { ok: false, error: 'invalid_auth' };
    } else {
      result = answerMethod(this, method, args);
    }
    if (result.ok === false) call.error = String(result.error);
    this.record(call);
    send(res, 200, 'application/json; charset=utf-8', JSON.stringify(result));
  }

  private handleResponse(id: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const status = this.sinkFailures.shift() ?? 200;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      body = { _unparsed: raw };
    }
    this.responses.push({ id, body, contentType: req.headers['content-type'] ?? null, at: Date.now(), status });
    this.events.emit('response');
    // Slack's response_url answers plain "ok", or an error word (e.g. "expired_url") on failure.
    send(res, status, 'text/plain', status === 200 ? 'ok' : 'expired_url');
  }

  private record(call: SlackCall): void {
    this.calls.push(call);
    this.events.emit('call');
  }

  /** Fresh, strictly increasing "seconds.micros" timestamps, as Slack's message ts. */
  nextTs(): string {
    this.lastTsMicros = Math.max(Date.now() * 1000, this.lastTsMicros + 1);
    const s = Math.floor(this.lastTsMicros / 1e6);
    return `${s}.${String(this.lastTsMicros % 1e6).padStart(6, '0')}`;
  }
}
