import type { ActionCommand, CommandContext } from '../../ports/command.ts';
import type { Message } from '../../core/message.ts';
import { lockedMessage } from '../../core/deploys.ts';
import { needsApproval } from '../../core/policy.ts';
import { AppError } from '../../errors.ts';
import type { ApprovalService } from '../approvals/service.ts';
import { dryRunMessage } from '../plan-message.ts';
import { whoMayApprove } from '../approvals/message.ts';

export interface ActionResult {
  reply: Message;
  auditAction: string;
  auditResult: string;
  detail: string | null;
  env: string | null;
  /** What to tell the announce channel (a change was made), or null. */
  announcement: Message | null;
}

/**
 * plan → (dry run | nothing to do | ask for approval | execute). The plan is computed by reading
 * only, so a dry run and an approval message show exactly what execute() will do.
 */
export async function runAction<I>(
  cmd: ActionCommand<I>,
  input: I,
  ctx: CommandContext,
  opts: { dryRun: boolean; approvals: ApprovalService; requestText: string; announceChannel?: string | null },
): Promise<ActionResult> {
  const envName = cmd.envOf(input);
  const env = envName ? ctx.env(envName) : undefined;
  const plan = await cmd.plan(input, ctx);
  const base = { env: env?.name ?? envName, announcement: null };
  if (opts.dryRun) {
    return { ...base, reply: dryRunMessage(plan), auditAction: 'dry_run', auditResult: 'ok', detail: plan.title };
  }
  if (plan.noop) {
    return {
      ...base,
      reply: { text: `:information_source: ${plan.noop}` },
      auditAction: 'invoke',
      auditResult: 'noop',
      detail: plan.noop,
    };
  }
  // Approved ahead (a scheduled change at its time, issue 23 §1): the approval was collected already.
  if (needsApproval(cmd, input, env) && !ctx.approval) {
    // An approved change would be refused by the environment's lock when it runs; say so now rather
    // than ask a colleague to approve something that cannot happen.
    const lock = env && plan.later === undefined ? await ctx.store.locks.get(env.name, ctx.clock.now()) : null;
    if (lock)
      throw new AppError('locked', `Not asking for approval: ${lockedMessage(env!.name, lock)}`, { env: env!.name });
    const rec = await opts.approvals.request(cmd, input, plan, ctx);
    const minutes = Math.round((rec.expiresAt - rec.createdAt) / 60_000);
    const where = rec.movedTo
      ? `Asked for approval of "${plan.title}" ${rec.movedTo}, where other operators can see it.`
      : `Asked the channel for approval of "${plan.title}".`;
    return {
      ...base,
      reply: {
        text: `:hourglass_flowing_sand: ${where} ${whoMayApprove(rec)} ${(rec.approvalsNeeded ?? 1) > 1 ? 'have' : 'has'} ${minutes} min to approve it.`,
      },
      auditAction: 'invoke',
      auditResult: 'pending',
      detail: `approval ${rec.id} requested`,
    };
  }
  const outcome = await cmd.execute(plan, input, ctx);
  // Work that tells a channel about itself (a deploy's notices) is not announced there twice.
  const toldAlready = outcome.announcedIn != null && outcome.announcedIn === opts.announceChannel;
  return {
    ...base,
    announcement: toldAlready ? null : { text: outcome.message.text },
    reply: outcome.announce ? { ...outcome.message, visibility: 'in_channel' } : outcome.message,
    auditAction: 'execute',
    auditResult: outcome.ok ? 'ok' : 'failed',
    detail: outcome.summary,
  };
}
