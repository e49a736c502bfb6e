import type { ActionCommand, ChangePlanPort, CommandContext, Outcome, Plan } from '../src/ports/command.ts';
import { AppError } from '../src/errors.ts';
import { approvedRequest, settleRun, workflowsOf } from '../src/ports/workflow-command.ts';
import type { DeployInput } from '../src/ports/deploys.ts';

/** Deploy and rollback planning from the context; absent only in builds that do not wire it. */
export function changePlansOf(ctx: CommandContext): ChangePlanPort {
  if (!ctx.changePlans) throw new AppError('internal', 'Deploy planning is not set up in this instance of the bot.');
  return ctx.changePlans;
}

/**
 * Start a deploy or rollback plan on the engine with the approval it executes. Its hooks tell the
 * environment's deploy channel (src/workflows/deploy-hooks.ts), so that channel is not told twice.
 */
export async function startChange(workflow: string, plan: Plan, ctx: CommandContext): Promise<Outcome> {
  const outcome = await workflowsOf(ctx).start(workflow, approvedRequest(plan, ctx), ctx);
  return { ...outcome, announcedIn: ctx.env(plan.env ?? '')?.deployChannel ?? null };
}

/** `/autorisen deploy <env> [ref] [--dry-run]`: build a commit on Heroku, backed up, verified and followed in a thread. */
export const deployCommand: ActionCommand<DeployInput> = {
  kind: 'action',
  name: 'deploy',
  queueable: true,
  breakGlass: true,
  summary: 'Deploy a branch, tag or commit to an environment (backup, build, health and contract probes)',
  usage: 'deploy <env> [ref] [--dry-run] [--break-glass --reason "…"]',
  examples: ['deploy staging', 'deploy production v2.4.0 --dry-run', 'deploy production 69eec518'],
  permission: 'operator',
  // Production needs a second operator; staging follows its `requires_approval` setting.
  approval: (_input, env) => env?.requiresApproval ?? true,
  envOf: (input) => input.env,
  maxPositionals: 2,
  parse(args) {
    const [env, ref, ...extra] = args.positional;
    if (!env) return { ok: false, error: 'Which environment? e.g. `deploy staging`.' };
    if (extra.length > 0)
      return { ok: false, error: `deploy takes an environment and at most one ref; got "${extra.join(' ')}" as well.` };
    return { ok: true, input: { env, ref: ref ?? null } };
  },
  plan: (input, ctx) => changePlansOf(ctx).deploy(input, ctx),
  execute: (plan, _input, ctx) => startChange('deploy', plan, ctx),
  settle: (plan, _input, ctx) => settleRun('deploy', plan, ctx),
};
