/**
 * An in-memory GitHubPort for the local shell when GITHUB_TOKEN is not set: the configured
 * repositories (capecraft/capecraft in the example config) all hold the sandbox history on `main`,
 * and deployments, their statuses and PR comments are kept in memory. No HTTP.
 */
import { AppError } from '../errors.ts';
import type { Comparison, GitCommit, GitHubPort, RepoRef } from '../ports/github.ts';
import { commitIndex, fileAt, SANDBOX_HISTORY } from './sandbox-repo.ts';

const DAY_MS = 86_400_000;

/** A deployment as the sandbox recorded it, with its statuses in order. */
export interface SandboxDeployment {
  id: number;
  repo: string;
  ref: string;
  environment: string;
  production: boolean;
  statuses: string[];
}

/** The GitHubPort plus what it recorded, for tests and curious users. */
export interface SandboxGitHub extends GitHubPort {
  deployments(): readonly SandboxDeployment[];
  comments(repo: RepoRef, issueNumber: number): readonly { id: number; body: string }[];
}

/** Build the sandbox GitHub for `repos` ("owner/repo"); `now` dates the history. */
export function createSandboxGitHub(repos: readonly string[], now: () => number): SandboxGitHub {
  const known = new Set(repos.map((r) => r.toLowerCase()));
  const started = now();
  const deployments: SandboxDeployment[] = [];
  const comments = new Map<string, { id: number; body: string }[]>();
  let nextCommentId = 1;

  const name = (repo: RepoRef): string => `${repo.owner}/${repo.repo}`;
  const checkRepo = (repo: RepoRef): void => {
    if (!known.has(name(repo).toLowerCase())) {
      throw new AppError(
        'github_not_found',
        `The sandbox has no repository ${name(repo)} (it simulates ${repos.join(', ') || 'none'}). Set GITHUB_TOKEN to use the real GitHub.`,
      );
    }
  };
  const indexOf = (repo: RepoRef, ref: string): number => {
    checkRepo(repo);
    const i = commitIndex(ref);
    if (i < 0)
      throw new AppError(
        'github_not_found',
        `${name(repo)} has no branch or commit "${ref}" (sandbox: try main or one of the shas in \`/autorisen releases\`).`,
      );
    return i;
  };
  const commit = (repo: RepoRef, i: number): GitCommit => {
    const c = SANDBOX_HISTORY[i]!;
    return {
      sha: c.sha,
      message: c.message,
      author: c.author,
      date: new Date(started - c.daysAgo * DAY_MS).toISOString(),
      url: `https://github.com/${name(repo)}/commit/${c.sha}`,
    };
  };

  return {
    async getCommit(repo, ref) {
      return commit(repo, indexOf(repo, ref));
    },
    async compare(repo, base, head) {
      const b = indexOf(repo, base);
      const h = indexOf(repo, head);
      const lo = Math.min(b, h);
      const hi = Math.max(b, h);
      // Like GitHub: commits and files are those reachable from head and not from base.
      const between = h > b ? SANDBOX_HISTORY.slice(lo + 1, hi + 1) : [];
      const files = new Map<string, string>();
      for (const c of between) {
        for (const [path, text] of Object.entries(c.changes)) {
          const existed = fileAt(b, path) !== null;
          files.set(path, text === null ? 'removed' : existed ? 'modified' : 'added');
        }
      }
      const cmp: Comparison = {
        status: b === h ? 'identical' : h > b ? 'ahead' : 'behind',
        aheadBy: Math.max(0, h - b),
        behindBy: Math.max(0, b - h),
        commits: between.map((c) => commit(repo, SANDBOX_HISTORY.indexOf(c))),
        files: [...files].map(([filename, status]) => ({ filename, status })),
        url: `https://github.com/${name(repo)}/compare/${SANDBOX_HISTORY[b]!.sha.slice(0, 7)}...${SANDBOX_HISTORY[h]!.sha.slice(0, 7)}`,
      };
      return cmp;
    },
    async commitChecks(repo, sha) {
      indexOf(repo, sha);
      // The sandbox's CI is always green, so a release can be tried end to end on a fresh clone.
      return {
        checkRuns: [{ name: 'test', status: 'completed', conclusion: 'success', url: null }],
        statuses: [{ context: 'ci/sandbox', state: 'success', url: null }],
      };
    },
    async tarballUrl(repo, sha) {
      const c = SANDBOX_HISTORY[indexOf(repo, sha)]!;
      // Shaped like the codeload redirect GitHub answers; nothing fetches it in the sandbox.
      return `https://codeload.github.com/${name(repo)}/legacy.tar.gz/${c.sha}?token=SANDBOX`;
    },
    async getFile(repo, ref, path) {
      const text = fileAt(indexOf(repo, ref), path.replace(/^\/+/, ''));
      if (text === null) throw new AppError('github_not_found', `${name(repo)} has no file ${path} at ${ref}.`);
      return text;
    },
    async createDeployment(repo, input) {
      indexOf(repo, input.ref);
      const d: SandboxDeployment = {
        id: deployments.length + 1,
        repo: name(repo),
        ref: input.ref,
        environment: input.environment,
        production: input.production,
        statuses: [],
      };
      deployments.push(d);
      return { id: d.id };
    },
    async createDeploymentStatus(repo, deploymentId, input) {
      checkRepo(repo);
      const d = deployments.find((x) => x.id === deploymentId && x.repo === name(repo));
      if (!d) throw new AppError('github_not_found', `${name(repo)} has no deployment ${deploymentId}.`);
      d.statuses.push(input.state);
    },
    async upsertIssueComment(repo, issueNumber, marker, body) {
      checkRepo(repo);
      const key = `${name(repo)}#${issueNumber}`;
      const list = comments.get(key) ?? [];
      comments.set(key, list);
      const existing = list.find((c) => c.body.includes(marker));
      if (existing) {
        existing.body = body;
        return { id: existing.id, created: false };
      }
      const created = { id: nextCommentId++, body };
      list.push(created);
      return { id: created.id, created: true };
    },
    deployments: () => deployments,
    comments: (repo, issueNumber) => comments.get(`${name(repo)}#${issueNumber}`) ?? [],
  };
}
