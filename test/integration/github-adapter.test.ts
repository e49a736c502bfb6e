import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAdapter } from '../../src/adapters/github/github-adapter.ts';
import { AppError } from '../../src/errors.ts';
import type { GitHubPort, RepoRef } from '../../src/ports/github.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';

const REPO: RepoRef = { owner: 'capecraft', repo: 'capecraft' };
const FULL = 'capecraft/capecraft';

let fake: FakeGitHub;
let gh: GitHubPort;
let first: string;
let second: string;
let third: string;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

beforeAll(async () => {
  fake = await startFakeGitHub({ token: 'ghp_test' });
  fake.addRepo(FULL);
  first = fake.commit(FULL, {
    message: 'Initial',
    files: { 'README.md': 'hello\n', 'api/openapi.json': '{"openapi":"3.0.0"}' },
  });
  second = fake.commit(FULL, {
    message: 'Add widgets table',
    author: { login: 'alice', name: 'Alice' },
    files: { 'db/versions/0002_widgets.py': 'op.create_table("widgets")\n' },
  });
  third = fake.commit(FULL, {
    message: 'Drop legacy column',
    author: { login: 'bob', name: 'Bob' },
    files: { 'db/versions/0003_drop.py': 'op.drop_column("users", "legacy")\n', 'README.md': null },
  });
  fake.tag(FULL, 'v1', first);
  gh = createGitHubAdapter({ token: 'ghp_test', apiUrl: fake.url, retries: 1, retryBaseMs: 1, throttle: false });
});

afterAll(async () => {
  await fake.close();
});

describe('GitHub adapter against the fake GitHub API', () => {
  it('resolves a branch, a tag and a short sha to the commit', async () => {
    const head = await gh.getCommit(REPO, 'main');
    expect(head).toMatchObject({ sha: third, message: 'Drop legacy column', author: 'bob' });
    expect(head.url).toContain(`/commit/${third}`);
    expect((await gh.getCommit(REPO, 'v1')).sha).toBe(first);
    expect((await gh.getCommit(REPO, second.slice(0, 7))).sha).toBe(second);
  });

  it('compares two commits: the commits in between, oldest first, and the files changed', async () => {
    const cmp = await gh.compare(REPO, first, third);
    expect(cmp.status).toBe('ahead');
    expect(cmp.aheadBy).toBe(2);
    expect(cmp.commits.map((c) => c.sha)).toEqual([second, third]);
    expect(cmp.commits.map((c) => c.author)).toEqual(['alice', 'bob']);
    expect(cmp.files).toEqual([
      { filename: 'README.md', status: 'removed' },
      { filename: 'db/versions/0002_widgets.py', status: 'added' },
      { filename: 'db/versions/0003_drop.py', status: 'added' },
    ]);
  });

  it('returns the tarball link from the 302 Location without downloading it', async () => {
    const before = fake.requests.length;
    const url = await gh.tarballUrl(REPO, third);
    expect(url).toContain(`/legacy.tar.gz/${third}?token=`);
    const seen = fake.requests.slice(before);
    expect(seen.map((r) => r.path)).toEqual([`/repos/${FULL}/tarball/${third}`]);
    // The link works for whoever downloads it (Heroku), without our token.
    const res = await fetch(url);
    expect(res.status).toBe(200);
  });

  it('reads a file at a ref, including nested paths', async () => {
    expect(await gh.getFile(REPO, third, 'db/versions/0003_drop.py')).toBe('op.drop_column("users", "legacy")\n');
    expect(await gh.getFile(REPO, first, 'api/openapi.json')).toBe('{"openapi":"3.0.0"}');
  });

  it('creates a deployment for exactly that commit and records its statuses', async () => {
    const { id } = await gh.createDeployment(REPO, {
      ref: third,
      environment: 'production',
      description: 'Deploy by U1',
      production: true,
    });
    await gh.createDeploymentStatus(REPO, id, { state: 'in_progress', description: 'building' });
    await gh.createDeploymentStatus(REPO, id, {
      state: 'success',
      environmentUrl: 'https://capecraft.herokuapp.com',
      logUrl: 'https://slack.example/thread',
    });
    const d = fake.deployments(FULL).find((x) => x.id === id)!;
    expect(d).toMatchObject({ sha: third, environment: 'production', productionEnvironment: true });
    expect(d.requestBody).toMatchObject({ auto_merge: false, required_contexts: [] });
    expect(d.statuses.map((s) => s.state)).toEqual(['in_progress', 'success']);
    expect(d.statuses[1]!.environmentUrl).toBe('https://capecraft.herokuapp.com');
  });

  it('upserts one marked comment, paging through older comments to find it', async () => {
    for (let i = 0; i < 105; i += 1) await fakePost(7, `noise ${i}`);
    const a = await gh.upsertIssueComment(REPO, 7, '<!-- autorisen-diff -->', 'first body');
    expect(a.created).toBe(true);
    for (let i = 0; i < 3; i += 1) await fakePost(7, `later ${i}`);
    const b = await gh.upsertIssueComment(REPO, 7, '<!-- autorisen-diff -->', 'second body');
    expect(b).toEqual({ id: a.id, created: false });
    const mine = fake.comments(FULL, 7).filter((c) => c.body.includes('<!-- autorisen-diff -->'));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.body).toContain('second body');
  });
});

describe('GitHub adapter errors', () => {
  it('an unknown ref is github_not_found naming the ref and repo', async () => {
    const e = await failure(gh.getCommit(REPO, 'no-such-branch'));
    expect(e.code).toBe('github_not_found');
    expect(e.userMessage).toContain('"no-such-branch"');
    expect(e.userMessage).toContain(FULL);
  });

  it('an unknown repository is github_not_found', async () => {
    const e = await failure(gh.getCommit({ owner: 'capecraft', repo: 'nope' }, 'main'));
    expect(e.code).toBe('github_not_found');
    expect(e.userMessage).toContain('capecraft/nope');
  });

  it('a rejected token is github_unauthorized naming GITHUB_TOKEN, without the token', async () => {
    const bad = createGitHubAdapter({ token: 'ghp_wrong_secret', apiUrl: fake.url, retries: 0, throttle: false });
    const e = await failure(bad.getCommit(REPO, 'main'));
    expect(e.code).toBe('github_unauthorized');
    expect(e.userMessage).toContain('GITHUB_TOKEN');
    expect(e.userMessage).not.toContain('ghp_wrong_secret');
  });

  it('a missing token is github_unauthorized before any request', async () => {
    const before = fake.requests.length;
    const none = createGitHubAdapter({ token: null, apiUrl: fake.url, throttle: false });
    expect((await failure(none.getCommit(REPO, 'main'))).code).toBe('github_unauthorized');
    expect(fake.requests.length).toBe(before);
  });

  it('primary rate limit (403, remaining 0) says when it resets, without retrying', async () => {
    fake.rateLimitReset = Math.floor(Date.now() / 1000) + 600;
    fake.rateLimitNext({ status: 403, count: 5 });
    const before = fake.requests.length;
    const e = await failure(gh.getCommit(REPO, 'main'));
    expect(e.code).toBe('github_rate_limited');
    expect(e.userMessage).toMatch(/resets at \d\d:\d\d UTC/);
    expect(e.retryAfterSec).toBeGreaterThan(500);
    expect(fake.requests.length - before).toBe(1);
    fake.rateLimitNext({ status: 403, count: 0 });
  });

  it('429 with retry-after is github_rate_limited with that wait, also with throttling on', async () => {
    const throttled = createGitHubAdapter({ token: 'ghp_test', apiUrl: fake.url, retries: 0 });
    fake.rateLimitNext({ status: 429, retryAfterSec: 42, secondary: true });
    const e = await failure(throttled.getCommit(REPO, 'main'));
    expect(e.code).toBe('github_rate_limited');
    expect(e.retryAfterSec).toBe(42);
  });

  it('5xx is retried, then reported as github_unavailable', async () => {
    fake.failNext({ status: 502, count: 1 });
    expect((await gh.getCommit(REPO, 'main')).sha).toBe(third);
    fake.failNext({ status: 503, count: 5 });
    const e = await failure(gh.getCommit(REPO, 'main'));
    expect(e.code).toBe('github_unavailable');
    fake.failNext({ status: 503, count: 0 });
  });

  it('an unreachable API is github_unavailable', async () => {
    const down = createGitHubAdapter({ token: 'x', apiUrl: 'http://127.0.0.1:1', retries: 0, throttle: false });
    expect((await failure(down.getCommit(REPO, 'main'))).code).toBe('github_unavailable');
  });

  it('a missing file is github_not_found naming the path', async () => {
    const e = await failure(gh.getFile(REPO, first, 'nope/missing.py'));
    expect(e.code).toBe('github_not_found');
    expect(e.userMessage).toContain('nope/missing.py');
  });
});

async function fakePost(issue: number, body: string): Promise<void> {
  const res = await fetch(`${fake.url}/repos/${FULL}/issues/${issue}/comments`, {
    method: 'POST',
    headers: { authorization: 'token ghp_test', 'content-type': 'application/json' },
    body: JSON.stringify({ body }),
  });
  expect(res.status).toBe(201);
}
