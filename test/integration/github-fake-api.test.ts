import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Octokit } from 'octokit';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';

// The fake speaks the real protocol: these checks use octokit and plain fetch, as other adapters will.
const FULL = 'octo/app';
let fake: FakeGitHub;
let octokit: Octokit;
let a: string;
let b: string;

beforeAll(async () => {
  fake = await startFakeGitHub({ token: 't0k' });
  fake.addRepo(FULL);
  a = fake.commit(FULL, { message: 'one', files: { 'src/x.txt': 'x'.repeat(100) } });
  b = fake.commit(FULL, { message: 'two', branch: 'feature/y', files: { 'src/y.txt': 'y' } });
  octokit = new Octokit({ auth: 't0k', baseUrl: fake.url, throttle: { enabled: false }, retry: { enabled: false } });
});
afterAll(() => fake.close());

describe('fake GitHub API', () => {
  it('serves git refs for branches with slashes and tags, 404 otherwise', async () => {
    const { data } = await octokit.rest.git.getRef({ owner: 'octo', repo: 'app', ref: 'heads/feature/y' });
    expect(data).toMatchObject({ ref: 'refs/heads/feature/y', object: { type: 'commit', sha: b } });
    await expect(octokit.rest.git.getRef({ owner: 'octo', repo: 'app', ref: 'tags/v9' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('serves file contents as wrapped base64 JSON, or raw with the raw media type', async () => {
    const res = await fetch(`${fake.url}/repos/${FULL}/contents/src/x.txt?ref=${a}`, {
      headers: { authorization: 'token t0k' },
    });
    const json = (await res.json()) as { encoding: string; content: string; path: string };
    expect(json.encoding).toBe('base64');
    expect(json.content).toContain('\n');
    expect(Buffer.from(json.content, 'base64').toString()).toBe('x'.repeat(100));
    const raw = await fetch(`${fake.url}/repos/${FULL}/contents/src/x.txt?ref=${a}`, {
      headers: { authorization: 'token t0k', accept: 'application/vnd.github.raw+json' },
    });
    expect(await raw.text()).toBe('x'.repeat(100));
  });

  it('answers errors with GitHub bodies and rate-limit headers on every response', async () => {
    const res = await fetch(`${fake.url}/repos/${FULL}/commits/nope`, { headers: { authorization: 'token t0k' } });
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      message: 'No commit found for SHA: nope',
      documentation_url: expect.stringContaining('docs.github.com'),
    });
    expect(res.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
    const unauth = await fetch(`${fake.url}/repos/${FULL}/commits/main`, { headers: { authorization: 'token wrong' } });
    expect(unauth.status).toBe(401);
    expect(((await unauth.json()) as { message: string }).message).toBe('Bad credentials');
  });

  it('pages issue comments with Link headers', async () => {
    for (let i = 0; i < 5; i += 1)
      await octokit.rest.issues.createComment({ owner: 'octo', repo: 'app', issue_number: 3, body: `c${i}` });
    const page1 = await octokit.rest.issues.listComments({ owner: 'octo', repo: 'app', issue_number: 3, per_page: 2 });
    expect(page1.headers.link).toContain('rel="next"');
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      owner: 'octo',
      repo: 'app',
      issue_number: 3,
      per_page: 2,
    });
    expect(all.map((c) => c.body)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    await octokit.rest.issues.updateComment({ owner: 'octo', repo: 'app', comment_id: all[0]!.id, body: 'edited' });
    expect(fake.comments(FULL, 3)[0]!.body).toBe('edited');
  });

  it('lists deployments newest first with their statuses, and rejects unknown states', async () => {
    const d1 = await octokit.rest.repos.createDeployment({
      owner: 'octo',
      repo: 'app',
      ref: a,
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
    });
    const d2 = await octokit.rest.repos.createDeployment({
      owner: 'octo',
      repo: 'app',
      ref: 'feature/y',
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
    });
    const id2 = (d2.data as { id: number }).id;
    await octokit.rest.repos.createDeploymentStatus({
      owner: 'octo',
      repo: 'app',
      deployment_id: id2,
      state: 'success',
    });
    const list = await octokit.rest.repos.listDeployments({ owner: 'octo', repo: 'app', environment: 'staging' });
    expect(list.data.map((d) => d.id)).toEqual([id2, (d1.data as { id: number }).id]);
    const st = await octokit.rest.repos.listDeploymentStatuses({ owner: 'octo', repo: 'app', deployment_id: id2 });
    expect(st.data.map((s) => s.state)).toEqual(['success']);
    const bad = await fetch(`${fake.url}/repos/${FULL}/deployments/${id2}/statuses`, {
      method: 'POST',
      headers: { authorization: 'token t0k' },
      body: JSON.stringify({ state: 'done' }),
    });
    expect(bad.status).toBe(422);
  });

  it('compares diverged branches', async () => {
    fake.commit(FULL, { message: 'three', files: { 'src/z.txt': 'z' } });
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
      owner: 'octo',
      repo: 'app',
      basehead: 'main...feature/y',
    });
    expect(data).toMatchObject({ status: 'diverged', ahead_by: 1, behind_by: 1 });
    expect(data.files?.map((f) => f.filename)).toEqual(['src/y.txt']);
  });
});
