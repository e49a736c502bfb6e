import { FLAG_VAR } from '../../core/flag.ts';
import { flagText } from '../../core/flag-at-release.ts';
import { escapeMrkdwn } from '../../core/mrkdwn.ts';
import { done, failed, failedExternally } from '../../core/workflow.ts';
import { AppError } from '../../errors.ts';
import type { Step, StepContext } from '../../services/workflows/types.ts';
import type { Starting } from './context.ts';

export interface RollbackTarget {
  targetReleaseId: string;
  targetVersion: number;
  /** The release current when the rollback was planned: a rollback release is newer than it. */
  previousVersion: number;
  /** The flag before the rollback, read when it was planned (undefined: not read), to say whether it flipped. */
  flagBefore?: string | null;
}

/**
 * Ask Heroku to roll back to a release. A rollback is not idempotent and has no key, so when it is
 * unknown whether Heroku took it (a restart right after the POST, a 5xx or a timeout) the release
 * list tells: Heroku records it in a new release "Rollback to vN".
 */
/** The release Heroku made for the rollback (`{ env, version }`: run-history reads it). */
export interface RolledBack {
  env: string;
  version: number;
  releasedBy: 'rollback';
  /** FEATURE_AUTORISEN read back once Heroku made the release; absent when it could not be read. */
  flag?: { raw: string | null };
}

export function rollbackTo(envName: string, t: RollbackTarget): Step<RolledBack, Starting> {
  const findIt = async (ctx: StepContext<object>): Promise<number | null> => {
    const recent = await ctx.heroku.listReleases(ctx.env(envName).herokuApp, 10);
    const r = recent.find(
      (x) => x.version > t.previousVersion && x.description.startsWith(`Rollback to v${t.targetVersion}`),
    );
    return r?.version ?? null;
  };
  // The rollback restored the target's config vars: read the flag back and say what it is now (issue 23 §6).
  const landed = async (ctx: StepContext<object>, version: number, note: string) => {
    const vars = await ctx.heroku.getConfigVars(ctx.env(envName).herokuApp).catch(() => null);
    const flag = vars ? { raw: vars[FLAG_VAR] ?? null } : undefined;
    return done<RolledBack>(
      { env: envName, version, releasedBy: 'rollback', ...(flag ? { flag } : {}) },
      `${note} ${flagNote(flag, t.flagBefore)}`,
    );
  };
  return {
    name: `rollback-${envName}`,
    title: `Roll ${envName} back to v${t.targetVersion}`,
    offerEnv: envName,
    async run(ctx, state) {
      const app = ctx.env(envName).herokuApp;
      if (state.scratch.starting) {
        // After a restart the POST may have happened: read back before sending it again.
        const v = await findIt(ctx);
        if (v !== null) return landed(ctx, v, `:rewind: Heroku shows the rollback: v${v}.`);
        if (state.resumed)
          return failed(
            `the bot restarted while asking Heroku to roll back, and no rollback release appeared. Check \`/autorisen releases ${envName}\`; Retry rolls back again.`,
          );
      }
      await ctx.save({ starting: true });
      try {
        const rel = await ctx.heroku.rollback(app, t.targetReleaseId);
        return landed(
          ctx,
          rel.version,
          `:rewind: Heroku rolled back: new release v${rel.version} ("${escapeMrkdwn(rel.description)}").`,
        );
      } catch (err) {
        if (!(err instanceof AppError && (err.code === 'heroku_unavailable' || err.code === 'heroku_timeout')))
          throw err;
        const v = await findIt(ctx).catch(() => undefined);
        if (v) return landed(ctx, v, `:rewind: Heroku answered ${err.code}, but shows the rollback: v${v}.`);
        const seen = v === undefined ? 'could not be checked' : 'shows no rollback release';
        return failedExternally(
          `${err.userMessage} The release list ${seen}; check \`/autorisen releases ${envName}\` and roll back again if needed.`,
        );
      }
    },
  };
}

/** ":triangular_flag_on_post: FEATURE_AUTORISEN is now "false" (off); it was "true" (on)." */
export function flagNote(flag: { raw: string | null } | undefined, before: string | null | undefined): string {
  if (!flag) return `${FLAG_VAR} could not be read back; check \`/autorisen flag status\`.`;
  const now = escapeMrkdwn(flagText(flag.raw, true));
  if (before === undefined || before === flag.raw)
    return `${FLAG_VAR} is ${now}${before === undefined ? '' : ' (unchanged)'}.`;
  return `:triangular_flag_on_post: *${FLAG_VAR} is now ${now}*; it was ${escapeMrkdwn(flagText(before, true))} before the rollback.`;
}
