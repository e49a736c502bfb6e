import { AppError } from '../errors.ts';
import type { ActionCommand, CommandContext, Plan, Settlement, WorkflowPort } from './command.ts';

/**
 * What every command that starts a workflow shares, written once: reaching the engine, starting a
 * run with the approval it executes, continuing a run at its approval gate, and settling an approved
 * run after a restart. A workflow's command is its options, `parse` and `plan`; the rest is here.
 * It speaks only the ports on the command's context, and commands/ and src/workflows/ share it, so
 * it lives with the ports.
 */

/** The workflow engine from the context; absent only in builds that do not wire it. */
export function workflowsOf(ctx: CommandContext): WorkflowPort {
  if (!ctx.workflows) throw new AppError('internal', 'Workflows are not set up in this instance of the bot.');
  return ctx.workflows;
}

/** Set only on the input an approval gate posts (src/services/workflows/wiring.ts), never parsed from text. */
export interface GateContinuation {
  continueRun?: string;
}

/** The request of a run that executes an approved plan: the plan, and the approval (the run settles it after a restart). */
export function approvedRequest(plan: Plan, ctx: CommandContext) {
  return { plan: plan.data, approvalId: ctx.approval?.id ?? null, approverId: ctx.approval?.approvedBy ?? null };
}

/**
 * A gated workflow's request with the break-glass it runs under (issue 23 §2), if any: its approval
 * gate then asks nobody; every other step runs as always.
 */
export function withBreakGlass(data: unknown, ctx: CommandContext): unknown {
  return ctx.breakGlass && data !== null && typeof data === 'object' ? { ...data, breakGlass: ctx.breakGlass } : data;
}

/**
 * The command a workflow with an approval gate continues through: when the input carries
 * `continueRun`, `plan` is the gate's plan recomputed and `execute` wakes the run; otherwise the
 * command's own plan and execute. Every gated workflow's command is wrapped in this one.
 */
export function gated<I extends GateContinuation>(cmd: ActionCommand<I>): ActionCommand<I> {
  return {
    ...cmd,
    plan: (input, ctx) => (input.continueRun ? workflowsOf(ctx).gatePlan(input.continueRun) : cmd.plan(input, ctx)),
    async execute(plan, input, ctx) {
      if (!input.continueRun) return cmd.execute(plan, input, ctx);
      // The gate re-reads the approval itself; the signal only spares it the wait for its next look.
      await workflowsOf(ctx).signal(input.continueRun, 'approved');
      const text = `${plan.title}: approved by <@${ctx.approval?.approvedBy ?? '?'}>; the ${cmd.name} carries on in its thread.`;
      return { ok: true, message: { text, visibility: 'in_channel' }, summary: text };
    },
  };
}

/**
 * An approved workflow run the bot was executing when its process died (ActionCommand.settle).
 * The run, found by the approval's correlation id, settles the approval when it stops; if the run
 * is over already, its end is the answer; if no run exists the process died before it started, and
 * Heroku's release list says whether anything changed anyway.
 */
export async function settleRun(workflow: string, plan: Plan, ctx: CommandContext): Promise<Settlement | null> {
  const runs = await ctx.store.workflows.latest({ workflow, env: plan.env ?? null, limit: 50 });
  const run = runs.find((r) => r.correlationId === ctx.correlationId);
  if (run && (run.state === 'running' || run.state === 'waiting')) return null;
  if (run)
    return run.state === 'done'
      ? { applied: true, text: `Done (confirmed after restart): the ${workflow} finished; see its thread.` }
      : { applied: false, text: `The ${workflow} stopped: ${run.error ?? run.state}. See its thread.` };
  const env = ctx.env(plan.env ?? '');
  const data = plan.data;
  const previous =
    data && typeof data === 'object' && 'previousVersion' in data && typeof data.previousVersion === 'number'
      ? data.previousVersion
      : null;
  if (!env || previous === null)
    return {
      applied: null,
      text: `The bot restarted before the ${workflow} started, and what ran before it is unknown, so it cannot tell whether anything changed: check \`/autorisen releases ${plan.env ?? '<env>'}\` before asking again.`,
    };
  const [current] = await ctx.heroku.listReleases(env.herokuApp, 1);
  if (!current || current.version === previous)
    return {
      applied: false,
      text: `Not applied: the bot restarted before the ${workflow} started, and ${env.name} still runs v${previous}. Ask again if it is still needed.`,
    };
  return {
    applied: null,
    text: `The bot restarted before the ${workflow} started, yet ${env.name} now runs v${current.version} (was v${previous}); check \`/autorisen releases ${env.name}\`.`,
  };
}
