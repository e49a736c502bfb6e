import type { EnvironmentConfig } from '../config.ts';
import type { DeployEvent } from '../core/deploys.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';
import type { DeployRecord, DeployStore } from '../ports/stores/deploys.ts';
import { threadLine } from './deploy-messages.ts';

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
}

/** Thrown out of a polling loop when the process stops; the state stays as persisted. */
export class DeployStopped extends Error {
  constructor() {
    super('deploy runner stopped');
  }
}

/** Sleep between polls, unless the process is stopping. */
async function pause(d: StepDeps, ms: number): Promise<void> {
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

const fail = (step: Extract<DeployEvent, { type: 'failed' }>['step'], reason: string): DeployEvent => ({ type: 'failed', step, reason });

/** Capture the Heroku Postgres backup (Data API, as `heroku pg:backups:capture`) and wait for it. */
export async function backupStep(d: StepDeps, run: StepRun): Promise<DeployEvent> {
  const { rec } = run;
  let transferId = rec.backupTransferId;
  let name = rec.backupName ?? 'backup';
  if (!transferId) {
    if (run.resumed) return fail('backup', 'the bot restarted while starting the backup, so whether it began is unknown. Nothing was deployed; run the deploy again.');
    const b = await d.heroku.captureBackup(rec.app);
    transferId = b.transferId;
    name = b.name;
    await d.deploys.update(rec.id, { backupTransferId: transferId, backupName: name });
    await run.progress.thread(threadLine(`:floppy_disk: Backup ${name} of ${rec.app}'s database started.`));
  }
  const deadline = d.clock.now() + d.timings.backupTimeoutMs;
  for (;;) {
    const t = await d.heroku.getTransfer(rec.app, transferId);
    if (t.finished) {
      if (t.succeeded) {
        await run.progress.thread(threadLine(`:white_check_mark: Backup ${name} finished.`));
        return { type: 'backup_done', backupName: name };
      }
      return fail('backup', `backup ${name} failed (${t.logs.at(-1) ?? 'no log'}). Nothing was deployed; check \`heroku pg:backups\` and try again.`);
    }
    if (d.clock.now() >= deadline) return fail('backup', `backup ${name} had not finished after ${Math.round(d.timings.backupTimeoutMs / 60_000)} min. Nothing was deployed.`);
    await pause(d, d.timings.backupPollMs);
  }
}

/** Get a fresh tarball link, create the Heroku build at once (private links expire in 5 min), follow it. */
export async function buildStep(d: StepDeps, run: StepRun): Promise<DeployEvent> {
  const { rec, env } = run;
  let buildId = rec.buildId;
  if (!buildId) {
    if (run.resumed) return fail('build', 'the bot restarted while starting the build, so whether Heroku began it is unknown. Check `/autorisen releases` before deploying again.');
    if (!rec.sha) return fail('build', 'no commit to build.');
    const url = await d.github.tarballUrl({ owner: env.github.owner, repo: env.github.repo }, rec.sha);
    const build = await d.heroku.createBuild(rec.app, { url, version: rec.sha, description: `autorisen-bot deploy ${rec.id}` });
    buildId = build.id;
    await d.deploys.update(rec.id, { buildId });
    await run.progress.thread(threadLine(`:building_construction: Heroku build ${buildId} started for \`${rec.sha.slice(0, 7)}\`.`));
  }
  const deadline = rec.updatedAt + d.timings.buildTimeoutMs;
  for (;;) {
    const b = await d.heroku.getBuild(rec.app, buildId);
    if (b.status === 'succeeded') {
      const version = b.release?.version ?? (await d.heroku.listReleases(rec.app, 1))[0]?.version;
      if (version === undefined) return fail('build', 'the build succeeded but Heroku shows no release for it.');
      await run.progress.thread(threadLine(`:package: Build succeeded: release v${version}.`));
      return { type: 'build_done', releaseVersion: version };
    }
    if (b.status === 'failed') {
      const tail = b.outputStreamUrl ? await lastLines(d, b.outputStreamUrl) : '';
      if (tail) await d.deploys.update(rec.id, { outputTail: tail });
      await run.progress.thread(threadLine(':x: Build failed. Last lines of the build output:', tail || '(no output)'));
      return fail('build', `the Heroku build ${buildId} failed; nothing was released. See the output in the thread.`);
    }
    if (d.clock.now() >= deadline) return fail('build', `build ${buildId} was still ${b.status} after ${Math.round(d.timings.buildTimeoutMs / 60_000)} min; it may still finish on Heroku. Check \`/autorisen releases ${env.name}\`.`);
    await pause(d, d.timings.buildPollMs);
  }
}

async function lastLines(d: StepDeps, url: string): Promise<string> {
  try {
    const text = await d.heroku.readBuildOutput(url);
    return text.replace(/\s+$/, '').split(/\r?\n/).slice(-d.timings.outputTailLines).join('\n');
  } catch (err) {
    d.log.warn({ err }, 'could not read the build output');
    return '';
  }
}

/** POST the rollback; after a restart, find out from the release list whether it happened. */
export async function rollbackStep(d: StepDeps, run: StepRun): Promise<DeployEvent> {
  const { rec } = run;
  if (!rec.targetReleaseId) return fail('rollback', 'no release to roll back to.');
  if (run.resumed) {
    const recent = await d.heroku.listReleases(rec.app, 10);
    const done = recent.find((r) => r.version > (rec.previousVersion ?? 0) && r.description.startsWith(`Rollback to v${rec.targetVersion}`));
    if (done) return { type: 'rollback_done', releaseVersion: done.version };
    return fail('rollback', 'the bot restarted while asking Heroku to roll back, and no rollback release appeared. Check `/autorisen releases` and roll back again if needed.');
  }
  const rel = await d.heroku.rollback(rec.app, rec.targetReleaseId);
  await run.progress.thread(threadLine(`:rewind: Heroku rolled back: new release v${rel.version} ("${rel.description}").`));
  return { type: 'rollback_done', releaseVersion: rel.version };
}

/** Poll the health URL until it answers 2xx, within the environment's verify window (counted from entering `verifying`). */
export async function verifyStep(d: StepDeps, run: StepRun): Promise<DeployEvent> {
  const { rec, env } = run;
  const url = `${env.baseUrl}${env.healthPath}`;
  const deadline = rec.updatedAt + env.verifySeconds * 1000;
  let last = 'no answer';
  for (;;) {
    try {
      const status = await d.probe(url, d.timings.probeTimeoutMs);
      if (status >= 200 && status < 300) {
        await run.progress.thread(threadLine(`:stethoscope: ${url} answered ${status}.`));
        return { type: 'verified' };
      }
      last = `HTTP ${status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : 'no answer';
    }
    if (d.clock.now() >= deadline) {
      return fail('verify', `${url} did not answer 2xx within ${env.verifySeconds}s (last: ${last}).`);
    }
    await pause(d, d.timings.healthPollMs);
  }
}

/** Turn anything a step throws into a failed event with the user-facing text. */
export function failureOf(step: Extract<DeployEvent, { type: 'failed' }>['step'], err: unknown): DeployEvent {
  if (err instanceof AppError) return fail(step, err.userMessage);
  return fail(step, 'an unexpected error; the details are in the bot logs.');
}
