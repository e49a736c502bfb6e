import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { FakeRepo, blobSha, type FakeComment, type FakeDeployment, type SeedCommit } from './fake-github-repo.ts';
import { commentBody, commitBody, compareBody, contentBody, deploymentBody, deploymentStatusBody, refBody, type Urls } from './fake-github-payloads.ts';

/**
 * A fake GitHub REST API: a real HTTP server on 127.0.0.1:0 that octokit talks to through `baseUrl`.
 * Seed repositories with commits/branches/tags/files; read back deployments, comments and requests.
 * Errors use GitHub's body `{message, documentation_url, status}`; every response carries the
 * `x-ratelimit-*` headers; `rateLimitNext` / `failNext` inject 403/429 and 5xx answers.
 */
export interface RecordedRequest {
  method: string;
  /** Decoded path, e.g. "/repos/o/r/git/ref/heads/main". */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeGitHub {
  /** Base URL to give octokit (`baseUrl`). */
  url: string;
  requests: RecordedRequest[];
  /** Required token; null lets any (or no) Authorization through. */
  token: string | null;
  addRepo(fullName: string, opts?: { defaultBranch?: string }): FakeRepo;
  repo(fullName: string): FakeRepo;
  /** Add a commit to a branch (default branch unless `seed.branch`), returning its sha. */
  commit(fullName: string, seed: SeedCommit): string;
  setBranch(fullName: string, branch: string, sha: string): void;
  tag(fullName: string, tag: string, sha: string): void;
  deployments(fullName: string): FakeDeployment[];
  comments(fullName: string, issueNumber?: number): FakeComment[];
  /** Answer the next `count` requests as rate limited (primary: remaining 0; secondary: retry-after). */
  rateLimitNext(opts: { status: 403 | 429; count?: number; retryAfterSec?: number; secondary?: boolean }): void;
  /** Answer the next `count` requests with a server error. */
  failNext(opts: { status: number; count?: number }): void;
  /** Epoch seconds sent in `x-ratelimit-reset`. */
  rateLimitReset: number;
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
const RAW_TYPES = ['application/vnd.github.raw', 'application/vnd.github.v3.raw', 'application/vnd.github.raw+json'];
const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const notFound = (): HttpError => new HttpError(404, 'Not Found', { documentation_url: DOCS });

/** Start the fake on an ephemeral port. */
export async function startFakeGitHub(opts: { token?: string | null } = {}): Promise<FakeGitHub> {
  const repos = new Map<string, FakeRepo>();
  const requests: RecordedRequest[] = [];
  const tarballTokens = new Map<string, string>();
  let rateFaults: { status: number; count: number; retryAfterSec?: number; secondary: boolean } | null = null;
  let serverFaults: { status: number; count: number } | null = null;
  let used = 0;
  let nextId = 1000;
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const urls: Urls = { api: base, web: `${base}/_web` };

  const fake: FakeGitHub = {
    url: base,
    requests,
    token: opts.token === undefined ? 'ghp_fake_token' : opts.token,
    rateLimitReset: Math.floor(Date.now() / 1000) + 3600,
    addRepo(fullName, o = {}) {
      const [owner, name] = fullName.split('/');
      const r = new FakeRepo(owner!, name!, o.defaultBranch ?? 'main');
      repos.set(fullName.toLowerCase(), r);
      return r;
    },
    repo(fullName) {
      const r = repos.get(fullName.toLowerCase());
      if (!r) throw new Error(`fake-github: no repo ${fullName}; call addRepo first`);
      return r;
    },
    commit: (fullName, seed) => fake.repo(fullName).commit(seed),
    setBranch: (fullName, branch, sha) => void fake.repo(fullName).branches.set(branch, sha),
    tag: (fullName, t, sha) => void fake.repo(fullName).tags.set(t, sha),
    deployments: (fullName) => fake.repo(fullName).deployments,
    comments: (fullName, n) => fake.repo(fullName).comments.filter((c) => n === undefined || c.issueNumber === n),
    rateLimitNext(o) {
      rateFaults = { status: o.status, count: o.count ?? 1, retryAfterSec: o.retryAfterSec, secondary: o.secondary ?? false };
    },
    failNext(o) {
      serverFaults = { status: o.status, count: o.count ?? 1 };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', base);
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const segments = u.pathname.split('/').filter(Boolean);
    const path = '/' + segments.map((s) => decodeURIComponent(s)).join('/');
    requests.push({ method: req.method ?? 'GET', path, query: Object.fromEntries(u.searchParams), headers: req.headers, body });
    used += 1;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - used)),
      'x-ratelimit-reset': String(fake.rateLimitReset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
      'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    };
    try {
      const out = route(req.method ?? 'GET', segments, u, req, body);
      if (out.redirect) {
        res.writeHead(302, { ...headers, location: out.redirect, 'content-length': '0' });
        res.end();
      } else if (out.raw !== undefined) {
        res.writeHead(out.status ?? 200, { ...headers, 'content-type': out.contentType ?? 'text/plain; charset=utf-8', ...out.headers });
        res.end(out.raw);
      } else {
        res.writeHead(out.status ?? 200, { ...headers, 'content-type': 'application/json; charset=utf-8', ...out.headers });
        res.end(JSON.stringify(out.json));
      }
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, `fake-github: ${(err as Error).message}`);
      const h = { ...headers, ...e.headers };
      res.writeHead(e.status, { ...h, 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: e.message, documentation_url: DOCS, ...e.extra, status: String(e.status) }));
    }
  }

  interface Out {
    status?: number;
    json?: unknown;
    raw?: string | Buffer;
    contentType?: string;
    redirect?: string;
    headers?: Record<string, string>;
  }

  function route(method: string, seg: string[], u: URL, req: IncomingMessage, body: unknown): Out {
    // The tarball download target (codeload.github.com in real life) needs no API token.
    if (seg[0] === '_codeload') return codeload(seg, u);
    checkFaults();
    checkAuth(req);
    if (seg[0] !== 'repos' || seg.length < 4) throw notFound();
    const repo = repos.get(`${decodeURIComponent(seg[1]!)}/${decodeURIComponent(seg[2]!)}`.toLowerCase());
    if (!repo) throw notFound();
    const rest = seg.slice(4).map((s) => decodeURIComponent(s)).join('/');
    const kind = seg[3];
    if (method === 'GET' && kind === 'commits' && rest) {
      const c = repo.resolve(rest);
      if (!c) throw new HttpError(422, `No commit found for SHA: ${rest}`);
      return { json: commitBody(repo, c, urls, true) };
    }
    if (method === 'GET' && kind === 'git' && seg[4] === 'ref') {
      const ref = seg.slice(5).map((s) => decodeURIComponent(s)).join('/');
      const m = /^(heads|tags)\/(.+)$/.exec(ref);
      const sha = m ? (m[1] === 'heads' ? repo.branches.get(m[2]!) : repo.tags.get(m[2]!)) : undefined;
      if (!sha) throw notFound();
      return { json: refBody(repo, ref, sha, urls) };
    }
    if (method === 'GET' && kind === 'compare') {
      const [b, h] = rest.split('...');
      const bc = b ? repo.resolve(b) : undefined;
      const hc = h ? repo.resolve(h) : undefined;
      if (!bc || !hc) throw notFound();
      return { json: compareBody(repo, bc, hc, rest, urls) };
    }
    if (method === 'GET' && kind === 'tarball') {
      const c = repo.resolve(rest || repo.defaultBranch);
      if (!c) throw notFound();
      const t = randomBytes(12).toString('hex');
      tarballTokens.set(t, c.sha);
      return { redirect: `${base}/_codeload/${repo.owner}/${repo.name}/legacy.tar.gz/${c.sha}?token=${t}` };
    }
    if (method === 'GET' && kind === 'contents') return contents(repo, rest, u, req);
    if (kind === 'deployments') return deployments(method, repo, seg.slice(4), u, body);
    if (kind === 'issues') return issues(method, repo, seg.slice(4), u, body);
    throw notFound();
  }

  function checkFaults(): void {
    if (rateFaults && rateFaults.count > 0) {
      const f = rateFaults;
      f.count -= 1;
      const headers: Record<string, string> = {};
      if (f.retryAfterSec !== undefined) headers['retry-after'] = String(f.retryAfterSec);
      if (!f.secondary) headers['x-ratelimit-remaining'] = '0';
      const message = f.secondary
        ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
        : 'API rate limit exceeded for user ID 1.';
      throw new HttpError(f.status, message, { documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api` }, headers);
    }
    if (serverFaults && serverFaults.count > 0) {
      serverFaults.count -= 1;
      throw new HttpError(serverFaults.status, 'Server Error');
    }
  }

  function checkAuth(req: IncomingMessage): void {
    if (fake.token === null) return;
    const h = req.headers.authorization;
    if (!h) throw new HttpError(401, 'Requires authentication');
    const presented = h.replace(/^(token|bearer)\s+/i, '');
    if (presented !== fake.token) throw new HttpError(401, 'Bad credentials');
  }

  function codeload(seg: string[], u: URL): Out {
    const sha = tarballTokens.get(u.searchParams.get('token') ?? '');
    if (!sha || seg.at(-1) !== sha) throw notFound();
    return { raw: gzipSync(Buffer.from(`fake tarball of ${sha}\n`)), contentType: 'application/x-gzip' };
  }

  function contents(repo: FakeRepo, path: string, u: URL, req: IncomingMessage): Out {
    const ref = u.searchParams.get('ref') ?? repo.defaultBranch;
    const c = repo.resolve(ref);
    if (!c) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const content = c.tree.get(path);
    if (content === undefined) {
      const prefix = path ? `${path}/` : '';
      const names = [...new Set([...c.tree.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/')[0]!))];
      if (names.length === 0) throw notFound();
      return { json: names.sort().map((n) => ({ name: n, path: prefix + n, type: c.tree.has(prefix + n) ? 'file' : 'dir' })) };
    }
    const accept = String(req.headers.accept ?? '');
    if (RAW_TYPES.some((t) => accept.includes(t))) return { raw: content };
    return { json: contentBody(repo, path, content, ref, urls, blobSha(content)) };
  }

  function deployments(method: string, repo: FakeRepo, seg: string[], u: URL, body: unknown): Out {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (seg.length === 0 && method === 'POST') {
      const ref = typeof b.ref === 'string' ? b.ref : '';
      const c = repo.resolve(ref);
      if (!c) throw new HttpError(422, `No ref found for: ${ref}`);
      const env = typeof b.environment === 'string' ? b.environment : 'production';
      const d: FakeDeployment = {
        id: nextId++,
        sha: c.sha,
        ref,
        task: typeof b.task === 'string' ? b.task : 'deploy',
        environment: env,
        description: typeof b.description === 'string' ? b.description : null,
        productionEnvironment: typeof b.production_environment === 'boolean' ? b.production_environment : env === 'production',
        transientEnvironment: b.transient_environment === true,
        payload: b.payload ?? {},
        requestBody: b,
        createdAt: now,
        statuses: [],
      };
      repo.deployments.push(d);
      return { status: 201, json: deploymentBody(repo, d, urls) };
    }
    if (seg.length === 0 && method === 'GET') {
      const q = Object.fromEntries(u.searchParams);
      const list = repo.deployments.filter((d) => (!q.environment || d.environment === q.environment) && (!q.sha || d.sha === q.sha) && (!q.ref || d.ref === q.ref));
      return { json: [...list].reverse().map((d) => deploymentBody(repo, d, urls)) };
    }
    const d = repo.deployments.find((x) => String(x.id) === seg[0]);
    if (!d) throw notFound();
    if (seg.length === 1 && method === 'GET') return { json: deploymentBody(repo, d, urls) };
    if (seg[1] === 'statuses' && method === 'GET') return { json: [...d.statuses].reverse().map((s) => deploymentStatusBody(repo, d, s, urls)) };
    if (seg[1] === 'statuses' && method === 'POST') {
      const state = typeof b.state === 'string' ? b.state : '';
      if (!DEPLOYMENT_STATES.includes(state)) {
        throw new HttpError(422, 'Validation Failed', { errors: [{ resource: 'DeploymentStatus', code: 'custom', field: 'state', message: 'state is not included in the list' }] });
      }
      const s = {
        id: nextId++,
        state,
        description: typeof b.description === 'string' ? b.description : '',
        environment: typeof b.environment === 'string' ? b.environment : d.environment,
        logUrl: typeof b.log_url === 'string' ? b.log_url : typeof b.target_url === 'string' ? b.target_url : '',
        environmentUrl: typeof b.environment_url === 'string' ? b.environment_url : '',
        createdAt: now,
      };
      d.statuses.push(s);
      return { status: 201, json: deploymentStatusBody(repo, d, s, urls) };
    }
    throw notFound();
  }

  function issues(method: string, repo: FakeRepo, seg: string[], u: URL, body: unknown): Out {
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (seg[0] === 'comments' && seg[1] && method === 'PATCH') {
      const c = repo.comments.find((x) => String(x.id) === seg[1]);
      if (!c) throw notFound();
      if (typeof b.body !== 'string') throw new HttpError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
      c.body = b.body;
      c.updatedAt = now;
      return { json: commentBody(repo, c, urls) };
    }
    const n = Number(seg[0]);
    if (!Number.isInteger(n) || seg[1] !== 'comments') throw notFound();
    if (method === 'POST') {
      if (typeof b.body !== 'string') throw new HttpError(422, 'Invalid request.\n\n"body" wasn\'t supplied.');
      const c: FakeComment = { id: nextId++, issueNumber: n, body: b.body, createdAt: now, updatedAt: now };
      repo.comments.push(c);
      return { status: 201, json: commentBody(repo, c, urls) };
    }
    if (method !== 'GET') throw notFound();
    const perPage = Math.min(100, Math.max(1, Number(u.searchParams.get('per_page') ?? 30)));
    const page = Math.max(1, Number(u.searchParams.get('page') ?? 1));
    const all = repo.comments.filter((c) => c.issueNumber === n);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number, rel: string): string => {
      const l = new URL(u.toString());
      l.searchParams.set('per_page', String(perPage));
      l.searchParams.set('page', String(p));
      return `<${l.toString()}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    const slice = all.slice((page - 1) * perPage, page * perPage).map((c) => commentBody(repo, c, urls));
    return { json: slice, headers: links.length ? { link: links.join(', ') } : {} };
  }

  return fake;
}
