import type { EnvironmentConfig } from '../../config.ts';
import { pollDelayMs } from '../../core/heroku-budget.ts';
import { AppError } from '../../errors.ts';
import type { RepoRef } from '../../ports/github.ts';
import type { StepContext } from '../../services/workflows/types.ts';

export const repoOf = (env: EnvironmentConfig): RepoRef => ({ owner: env.github.owner, repo: env.github.repo });

/**
 * What a step that puts a release on an environment hands on: Home and the drain's before/after
 * read `{ env, version }` from the run (services/deploys/run-history.ts), and a promotion the release id.
 */
export interface Released {
  env: string;
  releaseId: string;
  version: number;
  slugId: string | null;
}

/** Set in a step's scratch just before a vendor write whose id is not saved yet (read after a restart). */
export interface Starting {
  starting: boolean;
}

/** Polls back off to this many times the base interval (30 s at the default 5 s). */
const POLL_CAP_FACTOR = 6;

/**
 * Poll `read` until it answers non-null or `deadline` passes (then null). A build or backup takes
 * minutes: each pause is longer than the last (up to 6× the base) and all of them stretch when
 * Heroku's budget falls (core/heroku-budget.ts): about 25 requests follow a 10-minute build, not 120.
 */
export async function pollUntil<T>(
  ctx: StepContext<object>,
  deadline: number,
  read: () => Promise<T | null>,
): Promise<T | null> {
  for (let attempt = 0; ; attempt++) {
    const v = await readOnce(ctx, deadline, read);
    if (v !== null) return v;
    if (ctx.clock.now() >= deadline) return null;
    await ctx.pause(pollDelayMs(ctx.pollMs, ctx.pollMs * POLL_CAP_FACTOR, attempt, ctx.herokuRemaining()));
  }
}

/**
 * Answers that say nothing about the work itself: Heroku's 429 (its limit refills about 75 calls a
 * minute), its 5xx and timeouts. While following a build or backup that Heroku runs regardless, poll
 * again rather than fail (and unlock) work that is still going on.
 */
const TRANSIENT_CODES = new Set(['heroku_rate_limited', 'heroku_unavailable', 'heroku_timeout']);

async function readOnce<T>(
  ctx: StepContext<object>,
  deadline: number,
  read: () => Promise<T | null>,
): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof AppError && TRANSIENT_CODES.has(err.code)) || ctx.clock.now() >= deadline) throw err;
    ctx.log.warn({ err }, 'transient error while following the work; polling again');
    return null;
  }
}
