import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { FakeRepo, blobSha, type FakeComment, type FakeDeployment, type SeedCommit } from './fake-github-repo.ts';
import { commitBody, compareBody, contentBody, refBody, type Urls } from './fake-github-payloads.ts';
import { checksRoute, setChecks, type FakeCheckRun, type FakeStatus } from './fake-github-checks.ts';
import { DOCS, HttpError, deployments, issues, notFound, type Out } from './fake-github-writes.ts';

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
  /** What CI reports for a commit (check runs and commit statuses). */
  setChecks(fullName: string, sha: string, runs: FakeCheckRun[], statuses?: FakeStatus[]): void;
  comments(fullName: string, issueNumber?: number): FakeComment[];
  /** Answer the next `count` requests as rate limited (primary: remaining 0; secondary: retry-after). */
  rateLimitNext(opts: { status: 403 | 429; count?: number; retryAfterSec?: number; secondary?: boolean }): void;
  /** Answer the next `count` requests with a server error. */
  failNext(opts: { status: number; count?: number }): void;
  /** Epoch seconds sent in `x-ratelimit-reset`. */
  rateLimitReset: number;
  close(): Promise<void>;
}

const RAW_TYPES = ['application/vnd.github.raw', 'application/vnd.github.v3.raw', 'application/vnd.github.raw+json'];

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
    setChecks: (fullName, sha, runs, statuses = []) => setChecks(fake.repo(fullName), sha, runs, statuses),
    comments: (fullName, n) => fake.repo(fullName).comments.filter((c) => n === undefined || c.issueNumber === n),
    rateLimitNext(o) {
      rateFaults = {
        status: o.status,
        count: o.count ?? 1,
        retryAfterSec: o.retryAfterSec,
        secondary: o.secondary ?? false,
      };
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
    const path = `/${segments.map((s) => decodeURIComponent(s)).join('/')}`;
    requests.push({
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(u.searchParams),
      headers: req.headers,
      body,
    });
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
        res.writeHead(out.status ?? 200, {
          ...headers,
          'content-type': out.contentType ?? 'text/plain; charset=utf-8',
          ...out.headers,
        });
        res.end(out.raw);
      } else {
        res.writeHead(out.status ?? 200, {
          ...headers,
          'content-type': 'application/json; charset=utf-8',
          ...out.headers,
        });
        res.end(JSON.stringify(out.json));
      }
    } catch (err) {
      const e = err instanceof HttpError ? err : new HttpError(500, `fake-github: ${(err as Error).message}`);
      const h = { ...headers, ...e.headers };
      res.writeHead(e.status, { ...h, 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ message: e.message, documentation_url: DOCS, ...e.extra, status: String(e.status) }));
    }
  }

  function route(method: string, seg: string[], u: URL, req: IncomingMessage, body: unknown): Out {
    // The tarball download target (codeload.github.com in real life) needs no API token.
    if (seg[0] === '_codeload') return codeload(seg, u);
    checkFaults();
    checkAuth(req);
    if (seg[0] !== 'repos' || seg.length < 4) throw notFound();
    const repo = repos.get(`${decodeURIComponent(seg[1]!)}/${decodeURIComponent(seg[2]!)}`.toLowerCase());
    if (!repo) throw notFound();
    const rest = seg
      .slice(4)
      .map((s) => decodeURIComponent(s))
      .join('/');
    const kind = seg[3];
    const checkPath = /^(.+)\/(check-runs|status)$/.exec(rest);
    if (method === 'GET' && kind === 'commits' && checkPath) {
      const c = repo.resolve(checkPath[1]!);
      if (!c) throw new HttpError(422, `No commit found for SHA: ${checkPath[1]}`);
      return checksRoute(repo, c.sha, checkPath[2] as 'check-runs' | 'status');
    }
    if (method === 'GET' && kind === 'commits' && rest) {
      const c = repo.resolve(rest);
      if (!c) throw new HttpError(422, `No commit found for SHA: ${rest}`);
      return { json: commitBody(repo, c, urls, true) };
    }
    if (method === 'GET' && kind === 'git' && seg[4] === 'ref') {
      const ref = seg
        .slice(5)
        .map((s) => decodeURIComponent(s))
        .join('/');
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
    if (kind === 'deployments')
      return deployments({ method, repo, seg: seg.slice(4), u, body, urls, nextId: () => nextId++ });
    if (kind === 'issues') return issues({ method, repo, seg: seg.slice(4), u, body, urls, nextId: () => nextId++ });
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
      throw new HttpError(
        f.status,
        message,
        { documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api` },
        headers,
      );
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
      const names = [
        ...new Set(
          [...c.tree.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/')[0]!),
        ),
      ];
      if (names.length === 0) throw notFound();
      return {
        json: names.sort().map((n) => ({ name: n, path: prefix + n, type: c.tree.has(prefix + n) ? 'file' : 'dir' })),
      };
    }
    const accept = String(req.headers.accept ?? '');
    if (RAW_TYPES.some((t) => accept.includes(t))) return { raw: content };
    return { json: contentBody(repo, path, content, ref, urls, blobSha(content)) };
  }

  return fake;
}
