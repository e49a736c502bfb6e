import { readFileSync } from 'node:fs';
import type {
  FakeComment,
  FakeCommit,
  FakeDeployment,
  FakeDeploymentStatus,
  FakeRepo,
  FileChange,
} from './fake-github-repo.ts';

/**
 * GitHub REST response bodies for the fake, built from the official OpenAPI examples in
 * test/fixtures/github/ (see test/fixtures/README.md) with the seeded values put in. Deployments have
 * no example in the fixtures; their shape follows docs.github.com/rest/deployments (fields the
 * bot and octokit's types read).
 */
const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const COMMIT = fixture('rest_repos_get_commit.response.json');
const COMPARE = fixture('rest_repos_compare_commits.response.json');
const REF = fixture('rest_git_get_ref.response.json');
const COMMENT = fixture('rest_issues_create_comment.response.json');
const USER = COMMIT.author as Record<string, unknown>;

/** Deep copy of a template, so one response never leaks into another. */
const clone = <T>(v: T): T => structuredClone(v);

export interface Urls {
  api: string;
  web: string;
}

function userFor(login: string): Record<string, unknown> {
  const u = clone(USER);
  u.login = login;
  u.url = `https://api.github.com/users/${login}`;
  u.html_url = `https://github.com/${login}`;
  return u;
}

function fileEntry(repo: FakeRepo, ref: string, urls: Urls, f: FileChange): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  return {
    sha: f.blobSha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${urls.web}/${full}/blob/${ref}/${f.filename}`,
    raw_url: `${urls.web}/${full}/raw/${ref}/${f.filename}`,
    contents_url: `${urls.api}/repos/${full}/contents/${f.filename}?ref=${ref}`,
    patch: `@@ -1,${f.deletions} +1,${f.additions} @@`,
  };
}

/** The commit object of GET /repos/{o}/{r}/commits/{ref} (and the items of compare). */
export function commitBody(repo: FakeRepo, c: FakeCommit, urls: Urls, withFiles: boolean): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const body = clone(COMMIT);
  body.url = `${urls.api}/repos/${full}/commits/${c.sha}`;
  body.sha = c.sha;
  body.node_id = Buffer.from(`commit:${c.sha}`).toString('base64');
  body.html_url = `${urls.web}/${full}/commit/${c.sha}`;
  body.comments_url = `${urls.api}/repos/${full}/commits/${c.sha}/comments`;
  const inner = body.commit as Record<string, unknown>;
  inner.url = `${urls.api}/repos/${full}/git/commits/${c.sha}`;
  inner.message = c.message;
  inner.author = { name: c.author.name, email: c.author.email, date: c.date };
  inner.committer = { name: c.author.name, email: c.author.email, date: c.date };
  body.author = userFor(c.author.login);
  body.committer = userFor(c.author.login);
  body.parents = c.parents.map((p) => ({
    url: `${urls.api}/repos/${full}/commits/${p}`,
    sha: p,
    html_url: `${urls.web}/${full}/commit/${p}`,
  }));
  if (withFiles) {
    const parent = c.parents[0] ? repo.commits.get(c.parents[0]) : undefined;
    const files = repo.diff(parent?.tree, c.tree);
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    body.stats = { additions, deletions, total: additions + deletions };
    body.files = files.map((f) => fileEntry(repo, c.sha, urls, f));
  } else {
    delete body.stats;
    delete body.files;
  }
  return body;
}

/** GET /repos/{o}/{r}/compare/{base}...{head}. */
export function compareBody(
  repo: FakeRepo,
  base: FakeCommit,
  head: FakeCommit,
  basehead: string,
  urls: Urls,
): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const cmp = repo.compare(base, head);
  const body = clone(COMPARE);
  body.url = `${urls.api}/repos/${full}/compare/${basehead}`;
  body.html_url = `${urls.web}/${full}/compare/${basehead}`;
  body.permalink_url = `${urls.web}/${full}/compare/${repo.owner}:${base.sha.slice(0, 7)}...${repo.owner}:${head.sha.slice(0, 7)}`;
  body.diff_url = `${urls.web}/${full}/compare/${basehead}.diff`;
  body.patch_url = `${urls.web}/${full}/compare/${basehead}.patch`;
  body.base_commit = commitBody(repo, base, urls, false);
  body.merge_base_commit = cmp.mergeBase ? commitBody(repo, cmp.mergeBase, urls, false) : null;
  body.status = cmp.status;
  body.ahead_by = cmp.aheadBy;
  body.behind_by = cmp.behindBy;
  body.total_commits = cmp.aheadBy;
  body.commits = cmp.commits.map((c) => commitBody(repo, c, urls, false));
  body.files = cmp.files.map((f) => fileEntry(repo, head.sha, urls, f));
  return body;
}

/** GET /repos/{o}/{r}/git/ref/{ref}. */
export function refBody(repo: FakeRepo, fullRef: string, sha: string, urls: Urls): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const body = clone(REF);
  body.ref = `refs/${fullRef}`;
  body.node_id = Buffer.from(`ref:${full}:${fullRef}`).toString('base64');
  body.url = `${urls.api}/repos/${full}/git/refs/${fullRef}`;
  body.object = { type: 'commit', sha, url: `${urls.api}/repos/${full}/git/commits/${sha}` };
  return body;
}

/** An issue comment as GET/POST/PATCH return it. */
export function commentBody(repo: FakeRepo, c: FakeComment, urls: Urls): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const body = clone(COMMENT);
  body.id = c.id;
  body.node_id = Buffer.from(`comment:${c.id}`).toString('base64');
  body.url = `${urls.api}/repos/${full}/issues/comments/${c.id}`;
  body.html_url = `${urls.web}/${full}/issues/${c.issueNumber}#issuecomment-${c.id}`;
  body.issue_url = `${urls.api}/repos/${full}/issues/${c.issueNumber}`;
  body.body = c.body;
  body.user = userFor('autorisen-bot[bot]');
  body.created_at = c.createdAt;
  body.updated_at = c.updatedAt;
  return body;
}

/** A deployment (docs.github.com/rest/deployments/deployments#get-a-deployment). */
export function deploymentBody(repo: FakeRepo, d: FakeDeployment, urls: Urls): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  return {
    url: `${urls.api}/repos/${full}/deployments/${d.id}`,
    id: d.id,
    node_id: Buffer.from(`deployment:${d.id}`).toString('base64'),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userFor('autorisen-bot[bot]'),
    created_at: d.createdAt,
    updated_at: d.statuses.at(-1)?.createdAt ?? d.createdAt,
    statuses_url: `${urls.api}/repos/${full}/deployments/${d.id}/statuses`,
    repository_url: `${urls.api}/repos/${full}`,
    transient_environment: d.transientEnvironment,
    production_environment: d.productionEnvironment,
  };
}

/** A deployment status (docs.github.com/rest/deployments/statuses). */
export function deploymentStatusBody(
  repo: FakeRepo,
  d: FakeDeployment,
  s: FakeDeploymentStatus,
  urls: Urls,
): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  return {
    url: `${urls.api}/repos/${full}/deployments/${d.id}/statuses/${s.id}`,
    id: s.id,
    node_id: Buffer.from(`deployment-status:${s.id}`).toString('base64'),
    state: s.state,
    creator: userFor('autorisen-bot[bot]'),
    description: s.description,
    environment: s.environment,
    target_url: s.logUrl,
    created_at: s.createdAt,
    updated_at: s.createdAt,
    deployment_url: `${urls.api}/repos/${full}/deployments/${d.id}`,
    repository_url: `${urls.api}/repos/${full}`,
    environment_url: s.environmentUrl,
    log_url: s.logUrl,
  };
}

/** GET /repos/{o}/{r}/contents/{path}: a file (base64 wrapped at 60 columns, as GitHub sends it). */
export function contentBody(
  repo: FakeRepo,
  path: string,
  content: string,
  ref: string,
  urls: Urls,
  blob: string,
): Record<string, unknown> {
  const full = `${repo.owner}/${repo.name}`;
  const b64 = Buffer.from(content, 'utf8').toString('base64').replace(/.{60}/g, '$&\n');
  const self = `${urls.api}/repos/${full}/contents/${path}?ref=${ref}`;
  const html = `${urls.web}/${full}/blob/${ref}/${path}`;
  const git = `${urls.api}/repos/${full}/git/blobs/${blob}`;
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(content),
    name: path.split('/').at(-1),
    path,
    content: b64.endsWith('\n') ? b64 : `${b64}\n`,
    sha: blob,
    url: self,
    git_url: git,
    html_url: html,
    download_url: `${urls.web}/${full}/raw/${ref}/${path}`,
    _links: { self, git, html },
  };
}
