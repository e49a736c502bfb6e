import type { CommandContext, Plan, Settlement } from '../src/ports/command.ts';
import { FLAG_VAR, readFlag, type FlagPlanData } from '../src/core/flag.ts';
import { recordRelease } from './flag-change.ts';
import { settled } from './flag-replies.ts';

/**
 * A flag change the bot was running when its process died (ActionCommand.settle): read
 * FEATURE_AUTORISEN back from Heroku. The target value means the PATCH landed; anything else means
 * it did not. Reads only, apart from recording the release in the flag history when it landed.
 */
export async function settleFlag(plan: Plan, ctx: CommandContext): Promise<Settlement> {
  const d = plan.data as FlagPlanData;
  let vars: Record<string, string>;
  try {
    vars = await ctx.heroku.getConfigVars(d.app);
  } catch (err) {
    ctx.log.warn({ err }, 'could not read the flag back after a restart');
    return settled.unreadable(d);
  }
  const now = readFlag(vars[FLAG_VAR]);
  if (now.raw !== d.to) return settled.notApplied(d, now);
  const env = ctx.env(d.env);
  const [release] = await ctx.heroku.listReleases(d.app, 1).catch(() => []);
  if (env && release)
    await recordRelease(ctx, env, release, d.to, 'flag', ctx.caller.userId).catch((err) =>
      ctx.log.warn({ err }, 'could not record the flag release'),
    );
  return settled.applied(d, now, release?.version ?? null);
}
