import type { FakeComment, FakeDeployment, FakeRepo } from './fake-github-repo.ts';
import { commentBody, deploymentBody, deploymentStatusBody, type Urls } from './fake-github-payloads.ts';

/** Deployments and issue-comment routes of the fake GitHub API, plus its error type. */
export const DOCS = 'https://docs.github.com/rest';
const DEPLOYMENT_STATES = ['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success'];

/** An error answer: GitHub's `{message, documentation_url, status}` body plus any extra fields. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** GitHub's plain 404. */
export const notFound = (): HttpError => new HttpError(404, 'Not Found', { documentation_url: DOCS });

/** What a route answers: JSON, raw bytes, or a redirect. */
export interface Out {
  status?: number;
  json?: unknown;
  raw?: string | Buffer;
  contentType?: string;
  redirect?: string;
  headers?: Record<string, string>;
}

/** One request to a write-capable route. */
export interface WriteCall {
  method: string;
  repo: FakeRepo;
  /** Path segments after /repos/{o}/{r}/<kind>. */
  seg: string[];
  u: URL;
  body: unknown;
  urls: Urls;
  nextId: () => number;
}

export function deployments({ method, repo, seg, u, body, urls, nextId }: WriteCall): Out {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (seg.length === 0 && method === 'POST') {
    const ref = typeof b.ref === 'string' ? b.ref : '';
    const c = repo.resolve(ref);
    if (!c) throw new HttpError(422, `No ref found for: ${ref}`);
    const env = typeof b.environment === 'string' ? b.environment : 'production';
    const d: FakeDeployment = {
      id: nextId(),
      sha: c.sha,
      ref,
      task: typeof b.task === 'string' ? b.task : 'deploy',
      environment: env,
      description: typeof b.description === 'string' ? b.description : null,
      productionEnvironment:
        typeof b.production_environment === 'boolean' ? b.production_environment : env === 'production',
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
    const list = repo.deployments.filter(
      (d) =>
        (!q.environment || d.environment === q.environment) &&
        (!q.sha || d.sha === q.sha) &&
        (!q.ref || d.ref === q.ref),
    );
    return { json: [...list].reverse().map((d) => deploymentBody(repo, d, urls)) };
  }
  const d = repo.deployments.find((x) => String(x.id) === seg[0]);
  if (!d) throw notFound();
  if (seg.length === 1 && method === 'GET') return { json: deploymentBody(repo, d, urls) };
  if (seg[1] === 'statuses' && method === 'GET')
    return { json: [...d.statuses].reverse().map((s) => deploymentStatusBody(repo, d, s, urls)) };
  if (seg[1] === 'statuses' && method === 'POST') {
    const state = typeof b.state === 'string' ? b.state : '';
    if (!DEPLOYMENT_STATES.includes(state)) {
      throw new HttpError(422, 'Validation Failed', {
        errors: [
          {
            resource: 'DeploymentStatus',
            code: 'custom',
            field: 'state',
            message: 'state is not included in the list',
          },
        ],
      });
    }
    const s = {
      id: nextId(),
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

export function issues({ method, repo, seg, u, body, urls, nextId }: WriteCall): Out {
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
    const c: FakeComment = { id: nextId(), issueNumber: n, body: b.body, createdAt: now, updatedAt: now };
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
