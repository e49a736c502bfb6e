import type { EnvironmentConfig } from '../config.ts';
import type { DeployEvent } from '../core/deploys.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';
import type { DeployRecord, DeployStore } from '../ports/stores/deploys.ts';
import { pollDelayMs } from '../core/heroku-budget.ts';

// What the deploy steps share: timings, the health probe, their deps, and pausing/polling that stops cleanly.

/** Poll intervals and limits; tests pass small numbers (and a TestClock), production the defaults. */
export interface DeployTimings {
  backupPollMs: number;
  buildPollMs: number;
  healthPollMs: number;
  /** Give up on a backup that has not finished in this long (the deploy stops, nothing changed). */
  backupTimeoutMs: number;
  /** Give up following a build after this long (it may still finish on Heroku; the thread says so). */
  buildTimeoutMs: number;
  /** How many lines of build output a failure shows. */
  outputTailLines: number;
  /** One health request's own timeout. */
  probeTimeoutMs: number;
}

export const DEFAULT_TIMINGS: DeployTimings = {
  backupPollMs: 5_000,
  buildPollMs: 5_000,
  healthPollMs: 5_000,
  backupTimeoutMs: 30 * 60_000,
  // Heroku kills builds after 15 minutes of compile time; queueing adds some.
  buildTimeoutMs: 30 * 60_000,
  outputTailLines: 20,
  probeTimeoutMs: 10_000,
};

/** GET a URL, answering its HTTP status (throws when nothing answers). */
export type HealthProbe = (url: string, timeoutMs: number) => Promise<number>;

export const httpProbe: HealthProbe = async (url, timeoutMs) => {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.body?.cancel().catch(() => undefined);
  return res.status;
};

export interface StepDeps {
  heroku: HerokuPort;
  github: GitHubPort;
  deploys: DeployStore;
  clock: Clock;
  log: Logger;
  timings: DeployTimings;
  probe: HealthProbe;
  /** True once the process is shutting down: loops stop without moving state, for the next process to resume. */
  stopped: () => boolean;
  /** Heroku API tokens left (estimated from RateLimit-Remaining); null when unknown. */
  herokuRemaining?: () => number | null;
}

/**
 * A build or backup takes minutes: each poll waits longer than the last (up to 6× the base, 30 s by
 * default) and all of them slow down as Heroku's budget falls (core/heroku-budget.ts). About 25
 * requests follow a 10-minute build instead of 120.
 */
export function nextPoll(d: StepDeps, baseMs: number, attempt: number): number {
  return pollDelayMs(baseMs, baseMs * POLL_CAP_FACTOR, attempt, d.herokuRemaining?.() ?? null);
}
const POLL_CAP_FACTOR = 6;

/** Thrown out of a polling loop when the process stops; the state stays as persisted. */
export class DeployStopped extends Error {
  constructor() {
    super('deploy runner stopped');
  }
}

/** Sleep between polls, unless the process is stopping. */
export async function pause(d: StepDeps, ms: number): Promise<void> {
  if (d.stopped()) throw new DeployStopped();
  await d.clock.sleep(ms);
  if (d.stopped()) throw new DeployStopped();
}

/** Run context for one step: the record as it is now, its environment and its thread. */
export interface StepRun {
  rec: DeployRecord;
  env: EnvironmentConfig;
  progress: ChatProgress;
  /** True when picking up after a restart: a step whose start was not persisted must not be redone. */
  resumed: boolean;
}

export const fail = (step: Extract<DeployEvent, { type: 'failed' }>['step'], reason: string): DeployEvent => ({
  type: 'failed',
  step,
  reason,
});

/**
 * Answers that say nothing about the work itself: Heroku's 429 (its limit refills about 75 calls a
 * minute), its 5xx and timeouts. While following a build or backup that Heroku runs regardless, we
 * poll again rather than fail (and unlock) work that is still going on.
 */
const TRANSIENT_CODES = new Set(['heroku_rate_limited', 'heroku_unavailable', 'heroku_timeout']);

function isTransient(err: unknown): err is AppError {
  return err instanceof AppError && TRANSIENT_CODES.has(err.code);
}

/** One poll; null when it hit a transient error before `deadline` (poll again), else the answer or the error. */
export async function pollOnce<T>(
  d: StepDeps,
  what: string,
  read: () => Promise<T>,
  deadline: number,
): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (!isTransient(err) || d.clock.now() >= deadline) throw err;
    d.log.warn({ err, what }, 'transient error while following the work; polling again');
    return null;
  }
}
