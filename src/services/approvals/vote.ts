import { approvalNeed, stillNeeded, type VoteVerdict } from '../../core/approval-votes.ts';
import type { Caller, Plan } from '../../core/command.ts';
import { textMessage } from '../../core/message.ts';
import type { ActionRequest } from '../../core/transport.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ApprovalRecord } from '../../ports/stores/approvals.ts';
import type { ApprovalDeps } from './deps.ts';
import { decidedApprovalMessage, pendingApprovalMessage } from './message.ts';
import { approvalRow } from './request.ts';
import { audit } from '../audit.ts';

/**
 * One Approve click on a request that needs N distinct approvers (issue 23 §5). The role rule and
 * "not the requester" were checked by the caller (policy.canDecide); here the environment's
 * approver_groups are checked, the click is counted in the store (one row per approver, with its
 * audit row, atomically), and the message is rewritten with who has approved and how many are
 * still needed. Resolves with the verdict: the caller runs the change only on `complete`, which
 * the store hands to exactly one click; `closed` means someone else decided it first.
 */
export async function recordApproval(
  deps: Pick<ApprovalDeps, 'ports' | 'config' | 'chat' | 'directory'>,
  rec: ApprovalRecord,
  caller: Caller,
  req: ActionRequest,
  log: Logger,
): Promise<VoteVerdict | { kind: 'closed' }> {
  const { store, clock } = deps.ports;
  const { groups } = approvalNeed(deps.config.approvals.rules, rec.env, rec.command);
  const eligible = await inGroups(deps, groups, caller.userId, rec, log);
  const now = clock.now();
  const verdict = await store.approvals.vote(
    rec.id,
    caller.userId,
    now,
    eligible,
    approvalRow(now, rec, caller.userId, 'approve', 'counted', null, req.correlationId),
  );
  if (verdict.kind === 'refused') {
    await audit(store, log, {
      ...approvalRow(now, rec, caller.userId, 'deny', 'denied', verdict.reason, req.correlationId),
      args: `approval ${rec.id}`,
    });
    await req.responder.reply(textMessage(`:no_entry: ${verdict.reason}`));
  } else if (verdict.kind === 'duplicate') {
    await req.responder.reply(
      textMessage(`You have already approved this request; ${stillNeeded(verdict.remaining)} from other people.`),
    );
  } else if (verdict.kind === 'counted') {
    await rewritePending(deps, rec.id, groups, log);
    await req.responder.reply(
      textMessage(`Thanks, your approval is counted; ${stillNeeded(verdict.remaining)} before it runs.`),
    );
  }
  return verdict;
}

/** Whether the clicker is in one of the environment's approver groups (anyone when none are set). */
async function inGroups(
  deps: Pick<ApprovalDeps, 'directory'>,
  groups: readonly string[],
  userId: string,
  rec: ApprovalRecord,
  log: Logger,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (groups.length === 0) return { ok: true };
  const names = groups.map((g) => `<!subteam^${g}>`).join(' or ');
  const where = `${rec.command}${rec.env ? ` in ${rec.env}` : ''}`;
  let mine: string[];
  try {
    mine = deps.directory ? await deps.directory.groupsOf(userId) : [];
  } catch (err) {
    log.warn({ err, approvalId: rec.id }, 'could not read the approver groups');
    return { ok: false, reason: `I could not check whether you are in ${names}; try again in a minute.` };
  }
  return mine.some((g) => groups.includes(g))
    ? { ok: true }
    : { ok: false, reason: `Approving ${where} needs a member of ${names}; you are not in it.` };
}

/** Rewrite the still-pending message with the approvers so far (skipped once it is decided). */
async function rewritePending(
  deps: Pick<ApprovalDeps, 'ports' | 'chat'>,
  id: string,
  groups: readonly string[],
  log: Logger,
): Promise<void> {
  const fresh = await deps.ports.store.approvals.get(id);
  if (fresh?.state !== 'pending' || !fresh.messageChannel || !fresh.messageTs) return;
  const approvers = await deps.ports.store.approvals.approvers(id);
  const ref = { channel: fresh.messageChannel, ts: fresh.messageTs };
  try {
    await deps.chat.update(ref, pendingApprovalMessage(fresh, fresh.plan as Plan, approvers, groups));
    // The last approval may have landed on another instance meanwhile, and its rewrite before this
    // one: put the decided message back rather than leave stale buttons showing.
    const after = await deps.ports.store.approvals.get(id);
    if (after && after.state !== 'pending')
      await deps.chat.update(
        ref,
        decidedApprovalMessage(after, after.plan as Plan, undefined, await deps.ports.store.approvals.approvers(id)),
      );
  } catch (err) {
    log.warn({ err, approvalId: id }, 'could not rewrite the approval message with its approvers');
  }
}
