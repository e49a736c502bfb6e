import type { ActionCommand, CommandContext, Plan } from '../../ports/command.ts';
import { approvalNeed } from '../../core/approval-votes.ts';
import { AppError } from '../../errors.ts';
import type { ApprovalRecord } from '../../ports/stores/approvals.ts';
import { pendingApprovalMessage } from './message.ts';
import { postApproval } from './post.ts';
import type { ApprovalDeps } from './deps.ts';
import { auditEntry } from '../audit.ts';

/** The audit row of one approval event. */
export function approvalRow(
  at: number,
  rec: ApprovalRecord,
  actorId: string,
  action: string,
  result: string,
  detail: string | null = null,
  correlationId = rec.correlationId,
) {
  return auditEntry({
    at,
    correlationId,
    actorId,
    channelId: rec.channelId,
    command: rec.command,
    args: `approval ${rec.id}`,
    action,
    result,
    detail,
    env: rec.env,
  });
}

/**
 * Store the request and post it with Approve/Reject buttons in the requester's channel, or in the
 * announce channel when nobody else could approve it there (approvals/post.ts). `movedTo` says where.
 */
export async function requestApproval<I>(
  deps: Pick<ApprovalDeps, 'ports' | 'config' | 'chat' | 'announcer'>,
  cmd: ActionCommand<I>,
  input: I,
  plan: Plan,
  ctx: CommandContext,
): Promise<ApprovalRecord & { movedTo: string | null }> {
  const { store, clock, ids } = deps.ports;
  const now = clock.now();
  const env = plan.env ?? cmd.envOf(input);
  const need = approvalNeed(deps.config.approvals.rules, env, cmd.name);
  const rec: ApprovalRecord = {
    id: ids.next(),
    command: cmd.name,
    input,
    plan,
    requesterId: ctx.caller.userId,
    channelId: ctx.caller.channelId,
    env,
    approverRole: cmd.approverRole ?? 'operator',
    approvalsNeeded: need.needed,
    state: 'pending',
    createdAt: now,
    expiresAt: now + deps.config.approvals.ttlMinutes * 60_000,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    messageChannel: null,
    messageTs: null,
    correlationId: ctx.correlationId,
  };
  await store.approvals.create(
    rec,
    auditEntry({
      at: now,
      correlationId: ctx.correlationId,
      actorId: rec.requesterId,
      channelId: rec.channelId,
      command: cmd.name,
      action: 'approval_requested',
      result: 'pending',
      detail: plan.title,
      env: rec.env,
    }),
  );
  try {
    const { ref, movedTo } = await postApproval(
      deps.chat,
      deps.announcer,
      rec.channelId,
      pendingApprovalMessage(rec, plan, [], need.groups),
      ctx.log,
    );
    await store.approvals.setMessage(rec.id, ref.channel, ref.ts);
    return { ...rec, messageChannel: ref.channel, messageTs: ref.ts, movedTo };
  } catch (err) {
    // Nobody could see the buttons: cancel rather than leave an approvable ghost.
    await store.approvals.transition(
      rec.id,
      'pending',
      'cancelled',
      { outcome: 'could not post the approval message' },
      approvalRow(clock.now(), rec, 'system', 'cancel', 'cancelled', 'approval message could not be posted'),
    );
    if (err instanceof AppError && err.code === 'slack_failed' && !err.cause) throw err;
    throw new AppError(
      'slack_failed',
      'I could not post the approval request in this channel, so nothing will happen. Invite the bot to the channel (or check its chat:write scope) and try again.',
      { cause: err },
    );
  }
}
