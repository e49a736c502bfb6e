import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { etagOf, refill, sendNotModified } from './fake-heroku-budget.ts';
import {
  addRelease,
  addSlug,
  currentRelease,
  fakeTimestamp,
  patchConfigVars,
  rollbackTo,
  seedApp,
  type FakeApp,
  type FakeBuild,
  type FakeRelease,
  type SeedApp,
} from './fake-heroku-model.ts';
import { finishTransfer, handleDataApi, type BackupBehaviour } from './fake-heroku-data.ts';
import { HttpError, errorBody, type Reply } from './fake-heroku-errors.ts';
import { routePlatform } from './fake-heroku-routes.ts';
import { checkAccept, checkAuth, streamBuildOutput } from './fake-heroku-guards.ts';
import { pipelines, type PipelineState } from './fake-heroku-pipelines.ts';
import { streamLogSession } from './fake-heroku-dynos.ts';
import {
  type BuildBehaviour,
  type FakeHerokuOptions,
  type Fault,
  readBody,
  type RecordedRequest,
  takeMatchingFault,
} from './fake-heroku-options.ts';

export type { BackupBehaviour, SeedApp, FakeApp, FakeBuild, FakeRelease, Reply };
export { errorBody, invalid, notFound } from './fake-heroku-errors.ts';

/**
 * A fake Heroku Platform API (plus the Data API used by pg:backups) on 127.0.0.1, port 0. Like the
 * real one (PROTOCOLS.md §C) it requires `Accept: application/vnd.heroku+json; version=3` (406) and
 * the key as `Authorization: Bearer <key>` (401; Heroku's docs show Bearer, and heroku-client's
 * default Basic `:key` is refused here so the adapter's choice is tested), sends `RateLimit-Remaining` and `Request-Id` on every
 * response, answers errors as `{id, message}`, pages lists with `Range`/`Next-Range`, and creates a
 * release on every config change. Tests seed apps, script builds/backups and inject faults.
 */

// The recorded request, fault and option shapes live in fake-heroku-options.ts; re-exported for tests.
export type * from './fake-heroku-options.ts';

/** The running fake. */
export class FakeHeroku {
  readonly apps = new Map<string, FakeApp>();
  readonly requests: RecordedRequest[] = [];
  readonly apiKey: string;
  userEmail: string;
  rateLimitRemaining = 4500;
  /** Requests answered 304 Not Modified (If-None-Match matched the ETag). */
  notModified = 0;
  private readonly now: (() => number) | null;
  private refilledAt = 0;
  buildBehaviour: BuildBehaviour = {
    outcome: 'succeeded',
    afterPolls: 1,
    lines: ['-----> Building on the Heroku-24 stack', '-----> Build succeeded!'],
  };
  backupBehaviour: BackupBehaviour = {
    succeeded: true,
    afterPolls: 1,
    logs: ['pg_dump: dumping contents of table "public.users"'],
  };
  url = '';
  /** Base URL of the Data API listener (a separate host, as api.data.heroku.com is). */
  dataUrl = '';
  private faults: Array<Fault & { remaining: number }> = [];
  private hanging = new Set<ServerResponse>();
  private servers: Server[] = [];

  constructor(opts: FakeHerokuOptions = {}) {
    this.apiKey = opts.apiKey ?? 'heroku-test-key-0000';
    this.userEmail = opts.userEmail ?? 'autorisen-bot@example.com';
    this.now = opts.now ?? null;
    this.refilledAt = this.now?.() ?? 0;
    for (const seed of opts.apps ?? []) this.addApp(seed);
  }

  /** Add (or replace) an app. */
  addApp(seed: SeedApp): FakeApp {
    const app = seedApp(seed);
    this.apps.set(app.name, app);
    return app;
  }

  /** The app's state (throws in tests that name an unknown app). */
  app(name: string): FakeApp {
    const app = this.apps.get(name);
    if (!app) throw new Error(`fake heroku: no app ${name}`);
    return app;
  }

  /** A change made outside the bot (dashboard, CLI): PATCH semantics, release included. */
  changeConfigVars(
    app: string,
    vars: Record<string, string | null>,
    userEmail = 'someone-else@example.com',
  ): FakeRelease | null {
    return patchConfigVars(this.app(app), vars, userEmail);
  }

  /** A rollback made outside the bot; restores that release's config vars. */
  rollbackOutside(app: string, version: number, userEmail = 'someone-else@example.com'): FakeRelease {
    const a = this.app(app);
    const target = a.releases.find((r) => r.version === version);
    if (!target) throw new Error(`fake heroku: ${app} has no v${version}`);
    return rollbackTo(a, target, userEmail);
  }

  /** Finish a pending build: success adds a release "Deploy <sha7>" with a new slug. */
  completeBuild(buildId: string, outcome: 'succeeded' | 'failed', lines?: string[]): FakeBuild {
    for (const app of this.apps.values()) {
      const b = app.builds.find((x) => x.id === buildId);
      if (!b) continue;
      if (b.status !== 'pending') return b;
      b.status = outcome;
      b.updatedAt = fakeTimestamp();
      b.outputLines = lines ?? (outcome === 'succeeded' ? this.buildBehaviour.lines : ['-----> Build failed']);
      if (outcome === 'succeeded') {
        b.slugId = addSlug(app, b.sourceVersion || null, b.versionDescription);
        b.releaseId = addRelease(app, `Deploy ${b.sourceVersion.slice(0, 7)}`, b.userEmail, b.slugId).id;
      }
      return b;
    }
    throw new Error(`fake heroku: no build ${buildId}`);
  }

  /** Put an app in a pipeline at a stage (as `heroku pipelines:add`). */
  couple(app: string, pipelineId: string, stage: 'development' | 'staging' | 'production'): void {
    this.app(app);
    pipelines(this).couplings.set(app, { id: randomUUID(), pipelineId, stage, createdAt: fakeTimestamp() });
  }

  /** Pipeline couplings and promotions made so far (for assertions and scripting outcomes). */
  get pipelines(): PipelineState {
    return pipelines(this);
  }

  /** Finish a backup transfer now with the given outcome (backupBehaviour does it on poll otherwise). */
  finishBackup(app: string, transferUuid: string, succeeded: boolean, logs: string[] = []): void {
    finishTransfer(this.app(app), transferUuid, succeeded, logs);
  }

  /** Queue a fault for the next matching request(s). */
  fail(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** Let hung requests go (answered 503) and forget pending faults. */
  clearFaults(): void {
    this.faults = [];
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
  }

  /** Requests that reached the fake, optionally filtered. */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)),
    );
  }

  async start(): Promise<this> {
    const listen = (surface: 'platform' | 'data') =>
      new Promise<string>((resolve) => {
        const server = createServer((req, res) => void this.handle(surface, req, res));
        this.servers.push(server);
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
      });
    this.url = await listen('platform');
    this.dataUrl = await listen('data');
    return this;
  }

  async close(): Promise<void> {
    this.clearFaults();
    await Promise.all(
      this.servers.map(
        (s) =>
          new Promise<void>((resolve) => {
            s.closeAllConnections();
            s.close(() => resolve());
          }),
      ),
    );
  }

  private async handle(surface: 'platform' | 'data', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const [path = '/', query = ''] = (req.url ?? '/').split('?');
    const method = req.method ?? 'GET';
    let body: unknown = raw;
    try {
      body = raw === '' ? null : JSON.parse(raw);
    } catch {
      /* keep raw text */
    }
    const isStream = surface === 'platform' && path.startsWith('/streams/');
    this.requests.push({
      surface: isStream ? 'stream' : surface,
      method,
      path,
      query,
      headers: { ...req.headers },
      body,
      at: this.now?.() ?? Date.now(),
    });
    if (isStream && path.startsWith('/streams/logs/')) return streamLogSession(this, path, res);
    if (isStream) return streamBuildOutput(this.apps, path, res);

    const fault = this.takeFault(method, path);
    if (fault?.hang) {
      this.hanging.add(res);
      return;
    }
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.until) await fault.until;
    try {
      if (fault?.status) {
        const errBody = errorBody(fault.status, path.split('/')[2]);
        throw new HttpError(fault.status, fault.message ? { ...errBody, message: fault.message } : errBody);
      }
      checkAccept(req);
      checkAuth(req, this.apiKey);
      this.refill();
      if (this.rateLimitRemaining <= 0) throw new HttpError(429, errorBody(429));
      // A 304 is counted too: Heroku's docs do not say conditional requests are free (GitHub's do).
      this.rateLimitRemaining--;
      const out = surface === 'data' ? handleDataApi(this, method, path, query) : this.route(method, path, body, req);
      const etag = method === 'GET' && out.status < 300 ? etagOf(out.body) : null;
      if (etag !== null && req.headers['if-none-match'] === etag) {
        this.notModified++;
        return sendNotModified(res, etag, this.rateLimitRemaining);
      }
      this.send(res, out.status, out.body, etag === null ? out.headers : { ...out.headers, ETag: etag });
    } catch (err) {
      if (!(err instanceof HttpError)) throw err;
      const headers: Record<string, string> = {};
      if (fault?.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
      this.send(res, err.status, err.body, headers);
    }
  }

  /** Heroku's refill by the injected clock (fake-heroku-budget.ts); none without one. */
  private refill(): void {
    if (!this.now) return;
    ({ remaining: this.rateLimitRemaining, refilledAt: this.refilledAt } = refill(
      this.rateLimitRemaining,
      this.refilledAt,
      this.now(),
    ));
  }

  /** Requests that cost a rate-limit token (everything on the Platform and Data APIs; not build output). */
  apiRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.surface !== 'stream');
  }

  private takeFault(method: string, path: string): (Fault & { remaining: number }) | undefined {
    const { fault, rest } = takeMatchingFault(this.faults, method, path);
    this.faults = rest;
    return fault;
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'RateLimit-Remaining': String(this.rateLimitRemaining),
      'Request-Id': randomUUID(),
      ...headers,
    });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private route(method: string, path: string, body: unknown, req: IncomingMessage): Reply {
    return routePlatform(this, method, path, body, req.headers.range);
  }

  /** The current release of an app (for assertions). */
  current(app: string): FakeRelease | undefined {
    return currentRelease(this.app(app));
  }
}

/** Start a fake Heroku API with the given apps. */
export async function startFakeHeroku(opts: FakeHerokuOptions = {}): Promise<FakeHeroku> {
  return new FakeHeroku(opts).start();
}
