import type { CommandContext, Plan, Settlement } from '../src/core/command.ts';
import { describeFlag, FLAG_VAR, readFlag, type FlagPlanData } from '../src/core/flag.ts';
import { recordRelease } from './flag-status.ts';

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
    return {
      applied: null,
      text: `Interrupted by a restart, and Heroku could not be read to say whether it landed; check \`/autorisen flag status ${d.env}\`.`,
    };
  }
  const now = readFlag(vars[FLAG_VAR]);
  if (now.raw !== d.to)
    return {
      applied: false,
      text: `Not applied (interrupted by a restart): ${FLAG_VAR} in ${d.env} is still ${describeFlag(now)}. Ask again if it is still needed.`,
    };
  const env = ctx.env(d.env);
  const [release] = await ctx.heroku.listReleases(d.app, 1).catch(() => []);
  if (env && release)
    await recordRelease(ctx, env, release, d.to, 'flag', ctx.caller.userId).catch((err) =>
      ctx.log.warn({ err }, 'could not record the flag release'),
    );
  return {
    applied: true,
    text: `Done (confirmed after restart): ${FLAG_VAR} in ${d.env} is ${describeFlag(now)}${release ? `, release v${release.version}` : ''}.`,
  };
}
