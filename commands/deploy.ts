import type { ActionCommand, CommandContext, Plan, Settlement } from '../src/core/command.ts';
import type { DeployInput } from '../src/ports/deploys.ts';
import { planDeploy } from '../src/services/deploy-plan.ts';
import { workflowsOf } from './workflows-of.ts';

/** Start a deploy or rollback plan on the engine, with the approval it executes (settled by the run after a restart). */
export function startChange(name: 'deploy' | 'rollback', plan: Plan, ctx: CommandContext) {
  return workflowsOf(ctx).start(
    name,
    { plan: plan.data, approvalId: ctx.approval?.id ?? null, approverId: ctx.approval?.approvedBy ?? null },
    ctx,
  );
}

/**
 * An approved deploy or rollback the bot was executing when its process died (ActionCommand.settle).
 * Its workflow run, found by the approval's correlation id, settles the approval when it stops; if
 * the run is over already, its end is the answer; if no run exists the process died before it
 * started, and Heroku's release list says whether anything changed anyway.
 */
export async function settleChange(
  name: 'deploy' | 'rollback',
  plan: Plan,
  ctx: CommandContext,
): Promise<Settlement | null> {
  const runs = await ctx.store.workflows.latest({ workflow: name, env: plan.env ?? null, limit: 50 });
  const run = runs.find((r) => r.correlationId === ctx.correlationId);
  if (run && (run.state === 'running' || run.state === 'waiting')) return null;
  if (run)
    return run.state === 'done'
      ? { applied: true, text: `Done (confirmed after restart): the ${name} finished; see its thread.` }
      : { applied: false, text: `The ${name} stopped: ${run.error ?? run.state}. See its thread.` };
  const env = ctx.env(plan.env ?? '');
  const previous = (plan.data as { previousVersion?: number | null } | null)?.previousVersion ?? null;
  if (!env || previous === null)
    return {
      applied: null,
      text: `The bot restarted before the ${name} started, and what ran before it is unknown, so it cannot tell whether anything changed: check \`/autorisen releases ${plan.env ?? '<env>'}\` before asking again.`,
    };
  const [current] = await ctx.heroku.listReleases(env.herokuApp, 1);
  if (!current || current.version === previous)
    return {
      applied: false,
      text: `Not applied: the bot restarted before the ${name} started, and ${env.name} still runs v${previous}. Ask again if it is still needed.`,
    };
  return {
    applied: null,
    text: `The bot restarted before the ${name} started, yet ${env.name} now runs v${current.version} (was v${previous}); check \`/autorisen releases ${env.name}\`.`,
  };
}

/** `/autorisen deploy <env> [ref] [--dry-run]`: build a commit on Heroku, backed up, verified and followed in a thread. */
export const deployCommand: ActionCommand<DeployInput> = {
  kind: 'action',
  name: 'deploy',
  summary: 'Deploy a branch, tag or commit to an environment (backup, build, health and contract probes)',
  usage: 'deploy <env> [ref] [--dry-run]',
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
  plan: (input, ctx) => planDeploy(input, ctx),
  execute: (plan, _input, ctx) => startChange('deploy', plan, ctx),
  settle: (plan, _input, ctx) => settleChange('deploy', plan, ctx),
};
