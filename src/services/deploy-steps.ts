import type { DeployEvent } from '../core/deploys.ts';
import { AppError } from '../errors.ts';
import type { HerokuBuild, HerokuRelease } from '../ports/heroku.ts';
import type { DeployRecord } from '../ports/stores/deploys.ts';
import { threadLine } from './deploy-messages.ts';
import { fail, nextPoll, pause, pollOnce, type StepDeps, type StepRun } from './deploy-step-support.ts';

// The polling support the steps share lives in deploy-step-support.ts; re-exported so importers keep working.
export {
  DEFAULT_TIMINGS,
  DeployStopped,
  type DeployTimings,
  type HealthProbe,
  httpProbe,
  type StepDeps,
  type StepRun,
} from './deploy-step-support.ts';

/** Capture the Heroku Postgres backup (Data API, as `heroku pg:backups:capture`) and wait for it. */
export async function backupStep(d: StepDeps, run: StepRun): Promise<DeployEvent> {
  const { rec } = run;
  let transferId = rec.backupTransferId;
  let name = rec.backupName ?? 'backup';
  if (!transferId) {
    if (run.resumed)
      return fail(
        'backup',
        'the bot restarted while starting the backup, so whether it began is unknown. Nothing was deployed; run the deploy again.',
      );
    const b = await d.heroku.captureBackup(rec.app);
    transferId = b.transferId;
    name = b.name;
    await d.deploys.update(rec.id, { backupTransferId: transferId, backupName: name });
    await run.progress.thread(threadLine(`:floppy_disk: Backup ${name} of ${rec.app}'s database started.`));
  }
  const deadline = d.clock.now() + d.timings.backupTimeoutMs;
  for (let polls = 0; ; polls++) {
    const t = await pollOnce(d, 'backup', () => d.heroku.getTransfer(rec.app, transferId), deadline);
    if (t === null) {
      await pause(d, nextPoll(d, d.timings.backupPollMs, polls));
      continue;
    }
    if (t.finished) {
      if (t.succeeded) {
        await run.progress.thread(threadLine(`:white_check_mark: Backup ${name} finished.`));
        return { type: 'backup_done', backupName: name };
      }
      return fail(
        'backup',
        `backup ${name} failed (${t.logs.at(-1) ?? 'no log'}). Nothing was deployed; check \`heroku pg:backups\` and try again.`,
      );
    }
    if (d.clock.now() >= deadline)
      return fail(
        'backup',
        `backup ${name} had not finished after ${Math.round(d.timings.backupTimeoutMs / 60_000)} min. Nothing was deployed.`,
      );
    await pause(d, nextPoll(d, d.timings.backupPollMs, polls));
  }
}

/** Get a fresh tarball link, create the Heroku build at once (private links expire in 5 min), follow it. */
export async function buildStep(d: StepDeps, run: StepRun): Promise<DeployEvent> {
  const { rec, env } = run;
  let buildId = rec.buildId;
  if (!buildId) {
    if (run.resumed)
      return fail(
        'build',
        'the bot restarted while starting the build, so whether Heroku began it is unknown. Check `/autorisen releases` before deploying again.',
      );
    if (!rec.sha) return fail('build', 'no commit to build.');
    const url = await d.github.tarballUrl({ owner: env.github.owner, repo: env.github.repo }, rec.sha);
    let build: HerokuBuild;
    try {
      build = await d.heroku.createBuild(rec.app, {
        url,
        version: rec.sha,
        description: `autorisen-bot deploy ${rec.id}`,
      });
    } catch (err) {
      // A 5xx or a timeout on the POST leaves it unknown whether Heroku queued the build (we never retry writes).
      if (err instanceof AppError && (err.code === 'heroku_unavailable' || err.code === 'heroku_timeout')) {
        return {
          ...failureOf('build', err),
          reason: `${err.userMessage} Heroku may have started the build anyway: check \`/autorisen releases ${env.name}\` (or \`heroku builds -a ${rec.app}\`) before deploying again.`,
        };
      }
      throw err;
    }
    buildId = build.id;
    await d.deploys.update(rec.id, { buildId });
    await run.progress.thread(
      threadLine(`:building_construction: Heroku build ${buildId} started for \`${rec.sha.slice(0, 7)}\`.`),
    );
  }
  const deadline = rec.updatedAt + d.timings.buildTimeoutMs;
  for (let polls = 0; ; polls++) {
    let b: HerokuBuild | null;
    try {
      b = await pollOnce(d, 'build', () => d.heroku.getBuild(rec.app, buildId), deadline);
    } catch (err) {
      const why = err instanceof AppError ? err.userMessage : 'an unexpected error.';
      return {
        ...failureOf('build', err),
        reason: `could not follow build ${buildId}: ${why} The build may still finish on Heroku; check \`/autorisen releases ${env.name}\` before deploying again.`,
      };
    }
    if (b === null) {
      await pause(d, nextPoll(d, d.timings.buildPollMs, polls));
      continue;
    }
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
      return fail(
        'build',
        `the Heroku build ${buildId} failed; nothing was released. Fix the cause shown in the build output (in the thread) and deploy again.`,
      );
    }
    if (d.clock.now() >= deadline)
      return fail(
        'build',
        `build ${buildId} was still ${b.status} after ${Math.round(d.timings.buildTimeoutMs / 60_000)} min; it may still finish on Heroku. Check \`/autorisen releases ${env.name}\`.`,
      );
    await pause(d, nextPoll(d, d.timings.buildPollMs, polls));
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
    const done = await findRollbackRelease(d, rec);
    if (done) return { type: 'rollback_done', releaseVersion: done.version };
    return fail(
      'rollback',
      'the bot restarted while asking Heroku to roll back, and no rollback release appeared. Check `/autorisen releases` and roll back again if needed.',
    );
  }
  let rel: HerokuRelease;
  try {
    rel = await d.heroku.rollback(rec.app, rec.targetReleaseId);
  } catch (err) {
    if (!(err instanceof AppError && (err.code === 'heroku_unavailable' || err.code === 'heroku_timeout'))) throw err;
    // Unknown whether Heroku applied it: the release list tells (a rollback is its own release).
    const done = await findRollbackRelease(d, rec).catch(() => undefined);
    if (done) return { type: 'rollback_done', releaseVersion: done.version };
    const state = done === undefined ? 'could not be checked' : 'shows no rollback release';
    return {
      ...failureOf('rollback', err),
      reason: `${err.userMessage} The release list ${state}; check \`/autorisen releases ${run.env.name}\` and roll back again if needed.`,
    };
  }
  await run.progress.thread(
    threadLine(`:rewind: Heroku rolled back: new release v${rel.version} ("${rel.description}").`),
  );
  return { type: 'rollback_done', releaseVersion: rel.version };
}

/** The "Rollback to vN" release made after the work started, if Heroku has one. */
async function findRollbackRelease(d: StepDeps, rec: DeployRecord): Promise<{ version: number } | null> {
  const recent = await d.heroku.listReleases(rec.app, 10);
  return (
    recent.find(
      (r) => r.version > (rec.previousVersion ?? 0) && r.description.startsWith(`Rollback to v${rec.targetVersion}`),
    ) ?? null
  );
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
export function failureOf(
  step: Extract<DeployEvent, { type: 'failed' }>['step'],
  err: unknown,
): Extract<DeployEvent, { type: 'failed' }> {
  if (err instanceof AppError)
    return { type: 'failed', step, reason: err.userMessage, external: EXTERNAL.test(err.code) };
  return { type: 'failed', step, reason: 'an unexpected error; the details are in the bot logs.', external: true };
}

/** Codes of an API on the way failing (the GitHub status becomes `error`, not `failure`); a failed backup is the work's own failure. */
const EXTERNAL = /^(heroku|github)_(?!backup_failed$|build_failed$)/;
