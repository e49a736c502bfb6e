import type { RequestError } from 'octokit';
import { AppError } from '../../errors.ts';

/** What the failed call was about, so not-found messages can name it. */
export interface CallContext {
  /** "owner/repo" */
  repo: string;
  /** e.g. `branch, tag or commit "v12"` or `file "api/openapi.json" at abc1234`; null for the repo itself. */
  what: string | null;
}

type Headers = Record<string, string | number | undefined>;

function header(h: Headers | undefined, name: string): string | undefined {
  const v = h?.[name];
  return v === undefined ? undefined : String(v);
}

/** True for GitHub's primary (x-ratelimit-remaining: 0) and secondary (message/retry-after) limits. */
function isRateLimit(status: number, message: string, h: Headers | undefined): boolean {
  if (status === 429) return true;
  if (status !== 403) return false;
  return (
    header(h, 'x-ratelimit-remaining') === '0' || /rate limit/i.test(message) || header(h, 'retry-after') !== undefined
  );
}

/** Seconds until GitHub lets us in again: retry-after wins, else x-ratelimit-reset (epoch seconds). */
export function secondsUntilReset(h: Headers | undefined, nowMs: number): number {
  const after = Number(header(h, 'retry-after'));
  if (Number.isFinite(after) && after >= 0) return Math.ceil(after);
  const reset = Number(header(h, 'x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, Math.ceil(reset - nowMs / 1000));
  // GitHub's docs: with no header, wait at least a minute before retrying.
  return 60;
}

/**
 * Turn an octokit failure into a coded AppError whose message says what to do next.
 * Never includes the token: RequestError already redacts `authorization`, and we only quote
 * GitHub's `message` field.
 */
/** octokit's error class, handed over by the adapter once it has loaded octokit (lazily). */
export type RequestErrorClass = typeof RequestError;

export function toGitHubError(
  err: unknown,
  ctx: CallContext,
  nowMs: number,
  requestError: RequestErrorClass,
): AppError {
  if (err instanceof AppError) return err;
  if (!(err instanceof requestError)) {
    return new AppError(
      'github_unavailable',
      `Could not reach GitHub for ${ctx.repo}. Try again in a minute; if it persists check GITHUB_API_URL and githubstatus.com.`,
      { cause: err },
    );
  }
  const status = err.status;
  const data = err.response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : err.message;
  const h = err.response?.headers as Headers | undefined;
  const subject = ctx.what ? `${ctx.what} in ${ctx.repo}` : `repository ${ctx.repo}`;

  if (isRateLimit(status, message, h)) {
    const wait = secondsUntilReset(h, nowMs);
    const at = new Date(nowMs + wait * 1000).toISOString().slice(11, 16);
    return new AppError(
      'github_rate_limited',
      `GitHub's rate limit for GITHUB_TOKEN is used up; it resets at ${at} UTC (in ${wait}s). Try again then.`,
      { cause: err, retryAfterSec: wait },
    );
  }
  if (status === 401) {
    return new AppError(
      'github_unauthorized',
      `GitHub rejected the token (${message}). Check GITHUB_TOKEN: it must be a valid token that can read ${ctx.repo}.`,
      { cause: err },
    );
  }
  if (status === 403) {
    return new AppError(
      'github_unauthorized',
      `GitHub refused access to ${ctx.repo} (${message}). Give the token in GITHUB_TOKEN contents:read and deployments:write on that repository.`,
      { cause: err },
    );
  }
  if (status === 404 || (status === 422 && /^No (commit|ref) found/i.test(message))) {
    return new AppError(
      'github_not_found',
      `GitHub has no ${subject}. Check the name (and that it is pushed); a private repository also answers "not found" when GITHUB_TOKEN cannot see it.`,
      { cause: err },
    );
  }
  if (status === 409 || status === 422) {
    return new AppError('github_unavailable', `GitHub refused the request for ${subject}: ${message}.`, { cause: err });
  }
  return new AppError(
    'github_unavailable',
    `GitHub is not answering properly (${status || 'no response'}) for ${ctx.repo}. Try again in a few minutes; see githubstatus.com.`,
    { cause: err },
  );
}
