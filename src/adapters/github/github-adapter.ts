import type { Octokit } from 'octokit';
import { AppError } from '../../errors.ts';
import type { Comparison, GitCommit, GitHubPort, RepoRef } from '../../ports/github.ts';
import type { Logger } from '../../ports/logger.ts';
import { toGitHubError, type CallContext, type RequestErrorClass } from './github-errors.ts';

/** How the octokit client behaves; tests pass small numbers so nothing waits long. */
export interface GitHubAdapterOptions {
  token: string | null;
  /** config.github.apiUrl (GITHUB_API_URL). */
  apiUrl: string;
  log?: Logger;
  /** Retries on 5xx/network errors (plugin-retry); rate limits are never waited out. Default 2. */
  retries?: number;
  /** plugin-retry waits (n+1)² × this many ms before retry n. Default 1000. */
  retryBaseMs?: number;
  /** plugin-throttling spaces writes ≥ 1 s apart (GitHub's best practice); tests turn it off. Default true. */
  throttle?: boolean;
  now?: () => number;
}

// GitHub answers errors with 4xx that a retry cannot fix; 429 is included because a rate limit is
// reported to the user with its reset time rather than waited out inside a chat command.
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];
// Deployment status descriptions longer than this are rejected (docs.github.com/rest/deployments/statuses).
const STATUS_DESCRIPTION_MAX = 140;

/** GitHubPort on octokit (REST), pointed at GITHUB_API_URL so tests can use the fake server. */
export function createGitHubAdapter(opts: GitHubAdapterOptions): GitHubPort {
  const now = opts.now ?? Date.now;
  const log = opts.log;
  // octokit and its plugins are loaded at the first call, not at boot (docs/BENCHMARKS.md, start-up):
  // many bots never call GitHub between restarts.
  let client: Promise<{ octokit: Octokit; RequestError: RequestErrorClass }> | undefined;
  const connect = async () => {
    const { Octokit, RequestError } = await import('octokit');
    const octokit = new Octokit({
      auth: opts.token ?? undefined,
      baseUrl: opts.apiUrl,
      userAgent: 'autorisen-bot',
      retry: { retries: opts.retries ?? 2, retryAfterBaseValue: opts.retryBaseMs ?? 1000, doNotRetry: DO_NOT_RETRY },
      throttle: {
        enabled: opts.throttle ?? true,
        // Returning false makes the request fail at once; toGitHubError turns it into "resets at …".
        onRateLimit: (after: number) => {
          log?.warn({ retryAfterSec: after }, 'github rate limit reached');
          return false;
        },
        onSecondaryRateLimit: (after: number) => {
          log?.warn({ retryAfterSec: after }, 'github secondary rate limit reached');
          return false;
        },
      },
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (msg: string) => log?.warn({ source: 'octokit' }, msg),
        error: (msg: string) => log?.error({ source: 'octokit' }, msg),
      },
    });
    return { octokit, RequestError };
  };

  async function call<T>(repo: RepoRef, what: string | null, fn: (octokit: Octokit) => Promise<T>): Promise<T> {
    if (!opts.token) {
      throw new AppError(
        'github_unauthorized',
        'No GitHub token is configured. Set GITHUB_TOKEN to a token that can read the repository and create deployments.',
      );
    }
    client ??= connect();
    const { octokit, RequestError } = await client;
    try {
      return await fn(octokit);
    } catch (err) {
      const ctx: CallContext = { repo: `${repo.owner}/${repo.repo}`, what };
      const e = toGitHubError(err, ctx, now(), RequestError);
      log?.warn({ code: e.code, repo: ctx.repo, status: (err as { status?: number }).status }, 'github call failed');
      throw e;
    }
  }

  return {
    getCommit: (repo, ref) =>
      call(repo, `branch, tag or commit "${ref}"`, async (octokit) => {
        const { data } = await octokit.rest.repos.getCommit({ owner: repo.owner, repo: repo.repo, ref });
        return toCommit(data);
      }),

    compare: (repo, base, head) =>
      call(repo, `comparison ${base.slice(0, 12)}...${head.slice(0, 12)}`, async (octokit): Promise<Comparison> => {
        const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
          owner: repo.owner,
          repo: repo.repo,
          basehead: `${base}...${head}`,
        });
        return {
          status: data.status,
          aheadBy: data.ahead_by,
          behindBy: data.behind_by,
          commits: data.commits.map(toCommit),
          files: (data.files ?? []).map((f) => ({ filename: f.filename, status: f.status })),
          url: data.html_url,
        };
      }),

    tarballUrl: (repo, sha) =>
      call(repo, `commit "${sha}"`, async (octokit) => {
        // redirect: 'manual' makes fetch hand back the 302 itself; we pass its Location to Heroku
        // and never download the archive (PROTOCOLS.md §D). Private-repo links expire in 5 minutes.
        const res = await octokit.rest.repos.downloadTarballArchive({
          owner: repo.owner,
          repo: repo.repo,
          ref: sha,
          request: { redirect: 'manual' },
        });
        const location = (res.headers as Record<string, string | undefined>).location;
        if (!location)
          throw new AppError(
            'github_unavailable',
            `GitHub gave no download link for ${repo.owner}/${repo.repo}@${sha.slice(0, 7)} (status ${res.status}). Try again in a minute.`,
          );
        return location;
      }),

    commitChecks: (repo, sha) =>
      call(repo, `checks of ${sha.slice(0, 12)}`, async (octokit) => {
        const [runs, status] = await Promise.all([
          octokit.rest.checks.listForRef({ owner: repo.owner, repo: repo.repo, ref: sha, per_page: 100 }),
          octokit.rest.repos.getCombinedStatusForRef({ owner: repo.owner, repo: repo.repo, ref: sha, per_page: 100 }),
        ]);
        return {
          checkRuns: runs.data.check_runs.map((r) => ({
            name: r.name,
            status: r.status,
            conclusion: r.conclusion ?? null,
            url: r.html_url ?? null,
          })),
          statuses: status.data.statuses.map((x) => ({
            context: x.context,
            state: x.state,
            url: x.target_url ?? null,
          })),
        };
      }),

    getFile: (repo, ref, path) =>
      call(repo, `file "${path}" at ${ref.slice(0, 12)}`, async (octokit) => {
        const res = await octokit.rest.repos.getContent({
          owner: repo.owner,
          repo: repo.repo,
          path,
          ref,
          mediaType: { format: 'raw' },
        });
        const data: unknown = res.data;
        if (typeof data === 'string') return data;
        if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
        throw new AppError('github_not_found', `"${path}" in ${repo.owner}/${repo.repo} is a directory, not a file.`);
      }),

    createDeployment: (repo, input) =>
      call(repo, `ref "${input.ref}"`, async (octokit) => {
        const res = await octokit.rest.repos.createDeployment({
          owner: repo.owner,
          repo: repo.repo,
          ref: input.ref,
          environment: input.environment,
          description: input.description.slice(0, STATUS_DESCRIPTION_MAX),
          production_environment: input.production,
          // The bot deploys exactly this commit: no merging of the default branch into it, and no
          // commit-status gate (CI is checked by people before they ask for a deploy).
          auto_merge: false,
          required_contexts: [],
          transient_environment: false,
        });
        const data = res.data as { id?: number; message?: string };
        if (typeof data.id !== 'number')
          throw new AppError(
            'github_unavailable',
            `GitHub did not create a deployment: ${data.message ?? 'no id returned'}.`,
          );
        return { id: data.id };
      }),

    createDeploymentStatus: (repo, deploymentId, input) =>
      call(repo, `deployment ${deploymentId}`, async (octokit) => {
        await octokit.rest.repos.createDeploymentStatus({
          owner: repo.owner,
          repo: repo.repo,
          deployment_id: deploymentId,
          state: input.state,
          ...(input.description !== undefined
            ? { description: input.description.slice(0, STATUS_DESCRIPTION_MAX) }
            : {}),
          ...(input.logUrl !== undefined ? { log_url: input.logUrl } : {}),
          ...(input.environmentUrl !== undefined ? { environment_url: input.environmentUrl } : {}),
        });
      }),

    upsertIssueComment: (repo, issueNumber, marker, body) =>
      call(repo, `issue or pull request #${issueNumber}`, async (octokit) => {
        const text = body.includes(marker) ? body : `${marker}\n${body}`;
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          owner: repo.owner,
          repo: repo.repo,
          issue_number: issueNumber,
          per_page: 100,
        });
        const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(marker));
        if (mine) {
          await octokit.rest.issues.updateComment({
            owner: repo.owner,
            repo: repo.repo,
            comment_id: mine.id,
            body: text,
          });
          return { id: mine.id, created: false };
        }
        const { data } = await octokit.rest.issues.createComment({
          owner: repo.owner,
          repo: repo.repo,
          issue_number: issueNumber,
          body: text,
        });
        return { id: data.id, created: true };
      }),
  };
}

interface CommitData {
  sha: string;
  html_url: string;
  commit: { message: string; author: { name?: string; date?: string } | null; committer?: { date?: string } | null };
  author: { login?: string } | Record<string, never> | null;
}

function toCommit(data: CommitData): GitCommit {
  const login = data.author && 'login' in data.author ? data.author.login : undefined;
  return {
    sha: data.sha,
    message: data.commit.message,
    author: login ?? data.commit.author?.name ?? 'unknown',
    date: data.commit.author?.date ?? data.commit.committer?.date ?? '',
    url: data.html_url,
  };
}
