import { escapeMrkdwn } from '../../core/mrkdwn.ts';
import { AppError } from '../../errors.ts';
import { done, failed, failedExternally, type Offer } from '../../core/workflow.ts';
import type { Step, StepContext } from '../../services/workflows/types.ts';
import { pollUntil, type Released, repoOf, type Starting } from './context.ts';

/** Following a build or backup gives up after this (Heroku stops compiles at 15 min; queueing adds some). */
const FOLLOW_MS = 30 * 60_000;

/** Lines of a failed build's output shown in the thread. */
const OUTPUT_TAIL_LINES = 15;

/** A build's release, and the commit it built. */
export interface BuiltRelease extends Released {
  sha: string;
}

/** A build's scratch: the build id once Heroku accepted it. */
export interface BuildScratch extends Starting {
  buildId: string;
}

/**
 * Build a commit on an environment from the GitHub tarball; the build id is saved before it is
 * followed. No commit (a deploy whose ref never resolved) stops here, with nothing started.
 */
export function buildOn(
  envName: string,
  sha: string | null,
  offers: Offer[] = ['retry', 'abandon'],
): Step<BuiltRelease, BuildScratch> {
  return {
    name: `build-${envName}`,
    title: `Deploy to ${envName} (Heroku build)`,
    offerEnv: envName,
    async run(ctx, state) {
      const env = ctx.env(envName);
      if (!sha) return failed(`no commit was resolved for this ${ctx.workflow}; nothing was built.`, ['abandon']);
      let buildId = state.scratch.buildId;
      if (!buildId) {
        if (state.resumed && state.scratch.starting)
          return failed(
            `the bot restarted while starting the build on ${envName}, so whether Heroku began it is unknown. Check \`/autorisen releases ${envName}\`, then Retry.`,
          );
        await ctx.save({ starting: true });
        const url = await ctx.github.tarballUrl(repoOf(env), sha);
        let b: Awaited<ReturnType<typeof ctx.heroku.createBuild>>;
        try {
          b = await ctx.heroku.createBuild(env.herokuApp, {
            url,
            version: sha,
            description: `autorisen-bot ${ctx.runId}`,
          });
        } catch (err) {
          // A 5xx or a timeout on the POST leaves it unknown whether Heroku queued the build (writes are never retried blind).
          if (!(err instanceof AppError && (err.code === 'heroku_unavailable' || err.code === 'heroku_timeout')))
            throw err;
          return failedExternally(
            `${err.userMessage} Heroku may have started the build anyway: check \`/autorisen releases ${envName}\` (or \`heroku builds -a ${env.herokuApp}\`) before you Retry or deploy again.`,
            offers,
          );
        }
        buildId = b.id;
        await ctx.save({ buildId });
        await ctx.say(
          `:building_construction: Heroku build ${buildId} started on ${envName} for \`${sha.slice(0, 7)}\`.`,
        );
      }
      const id = buildId;
      const b = await pollUntil(ctx, ctx.clock.now() + FOLLOW_MS, async () => {
        const x = await ctx.heroku.getBuild(env.herokuApp, id);
        return x.status === 'pending' ? null : x;
      });
      if (!b) return failed(`build ${id} on ${envName} was still pending after 30 min; it may still finish.`, offers);
      if (b.status !== 'succeeded') {
        const tail = b.outputStreamUrl ? await outputTail(ctx, b.outputStreamUrl) : '';
        await ctx.say({
          text: ':x: Build failed. Last lines of the build output:',
          blocks: [
            { type: 'section', text: ':x: Build failed. Last lines of the build output:' },
            { type: 'code', text: tail || '(no output)' },
          ],
        });
        return failed(
          `the Heroku build ${id} on ${envName} failed; nothing was released. Fix the cause shown in the build output (in the thread) and deploy again.`,
          offers,
        );
      }
      const version = b.release?.version ?? (await ctx.heroku.listReleases(env.herokuApp, 1))[0]?.version;
      if (version === undefined) return failed('the build succeeded but Heroku shows no release for it.');
      const release = await ctx.heroku.getRelease(env.herokuApp, version);
      return done(
        { env: envName, releaseId: release.id, version, slugId: release.slugId, sha },
        `:package: ${envName} runs v${version} (slug ${release.slugId ?? '?'}).`,
      );
    },
  };
}

/** A finished backup: its name ("b003") and transfer id. */
export interface BackupOutput {
  name: string;
  transferId: string;
}

/** Capture a Heroku Postgres backup of the environment and wait for it; the transfer id is saved first. */
export function backupOf(envName: string): Step<BackupOutput, BackupOutput & Starting> {
  return {
    name: `backup-${envName}`,
    title: `Back up ${envName}'s database`,
    async run(ctx, state) {
      const env = ctx.env(envName);
      let transferId = state.scratch.transferId;
      let name = state.scratch.name ?? 'backup';
      if (!transferId) {
        if (state.resumed && state.scratch.starting)
          return failed(
            'the bot restarted while starting the backup, so whether it began is unknown; Retry takes a new one.',
          );
        await ctx.save({ starting: true });
        const b = await ctx.heroku.captureBackup(env.herokuApp);
        transferId = b.transferId;
        name = b.name;
        await ctx.save({ transferId, name });
        await ctx.say(`:floppy_disk: Backup ${name} of ${env.herokuApp}'s database started.`);
      }
      const id = transferId;
      const t = await pollUntil(ctx, ctx.clock.now() + FOLLOW_MS, async () => {
        const x = await ctx.heroku.getTransfer(env.herokuApp, id);
        return x.finished ? x : null;
      });
      if (!t)
        return failed(`backup ${name} had not finished after 30 min; nothing after it ran, so nothing was deployed.`);
      if (!t.succeeded)
        return failed(
          `backup ${name} failed (${escapeMrkdwn(t.logs.at(-1) ?? 'no log')}); nothing after it ran, so nothing was deployed.`,
        );
      return done({ name, transferId: id }, `:white_check_mark: Backup ${name} finished.`);
    },
  };
}

/** The last lines of a build's output; empty when it cannot be read (the failure is reported anyway). */
async function outputTail(ctx: StepContext, url: string): Promise<string> {
  try {
    const text = await ctx.heroku.readBuildOutput(url);
    return text.replace(/\s+$/, '').split(/\r?\n/).slice(-OUTPUT_TAIL_LINES).join('\n');
  } catch (err) {
    ctx.log.warn({ err }, 'could not read the build output');
    return '';
  }
}
