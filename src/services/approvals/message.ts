import type { Plan } from '../../core/command.ts';
import type { Message } from '../../core/message.ts';
import { STATE_WORDS } from '../../core/approvals.ts';
import { stillNeeded } from '../../core/approval-votes.ts';
import { slackTime } from '../../core/slack-date.ts';

export { slackTime };
import type { ApprovalRecord } from '../../ports/stores/approvals.ts';
import { planBlocks, planText } from '../plan-message.ts';

export const APPROVE_ACTION = 'autorisen:approve';
export const REJECT_ACTION = 'autorisen:reject';

/** "Another operator", or with N-of-M (issue 23 §5) "2 other operators". */
export function whoMayApprove(rec: Pick<ApprovalRecord, 'approverRole' | 'approvalsNeeded'>): string {
  const n = rec.approvalsNeeded ?? 1;
  return n > 1 ? `${n} other ${rec.approverRole}s` : `Another ${rec.approverRole}`;
}

/** "Approved so far: <@B> · 1 more approval needed", for a request that needs several approvers. */
function tallyLine(rec: Pick<ApprovalRecord, 'approvalsNeeded'>, approvers: readonly string[]): string | null {
  const needed = rec.approvalsNeeded ?? 1;
  if (needed <= 1) return null;
  const so = approvers.length > 0 ? approvers.map((u) => `<@${u}>`).join(', ') : 'nobody yet';
  return `*Approved so far:* ${so} · ${stillNeeded(Math.max(0, needed - approvers.length))} (of ${needed})`;
}

/**
 * The message asking for approval: the exact plan, who asked, when it expires, and the two buttons.
 * With N-of-M it also says who has approved and how many are still needed (rewritten on each Approve).
 */
export function pendingApprovalMessage(
  rec: ApprovalRecord,
  plan: Plan,
  approvers: readonly string[] = [],
  groups: readonly string[] = [],
): Message {
  const tally = tallyLine(rec, approvers);
  const needed = rec.approvalsNeeded ?? 1;
  const who = needed > 1 ? `${needed} distinct ${rec.approverRole}s` : `an ${rec.approverRole}`;
  const inGroups = groups.length > 0 ? ` in ${groups.map((g) => `<!subteam^${g}>`).join(' or ')}` : '';
  return {
    text: `<@${rec.requesterId}> asks for approval: ${planText(plan)}${tally ? ` (${tally.replace(/\*/g, '')})` : ''}`,
    visibility: 'in_channel',
    blocks: [
      { type: 'header', text: `Approval needed: ${rec.command}${rec.env ? ` in ${rec.env}` : ''}` },
      ...planBlocks(plan),
      {
        type: 'context',
        text: `Requested by <@${rec.requesterId}> · needs ${who}${inGroups} other than the requester · expires ${slackTime(rec.expiresAt)}`,
      },
      ...(tally ? [{ type: 'section' as const, text: tally }] : []),
    ],
    buttons: [
      {
        actionId: APPROVE_ACTION,
        label: 'Approve',
        value: rec.id,
        style: 'primary',
        // A scheduled change (issue 23 §1) is approved now and runs at its time.
        confirm:
          plan.later === undefined ? `Run "${plan.title}" now?` : `Approve "${plan.title}"? It runs at its time.`,
      },
      { actionId: REJECT_ACTION, label: 'Reject', value: rec.id, style: 'danger' },
    ],
  };
}

/**
 * Who decided, worded so it never blames them: a failed run reads "failed · approved by <@X>",
 * not "failed by <@X>" (the approver approved; the run, or a changed plan, failed).
 */
function decidedBy(rec: Pick<ApprovalRecord, 'state' | 'decidedBy'>, approvers: readonly string[]): string {
  if (!rec.decidedBy) return '';
  // N-of-M: everyone who approved is credited, in click order (the last one is decidedBy).
  const who = approvers.length > 1 && approvers.includes(rec.decidedBy) ? approvers : [rec.decidedBy];
  const names = who.map((u) => `<@${u}>`).join(' and ');
  return rec.state === 'failed' ? ` · approved by ${names}` : ` by ${names}`;
}

/** "rejected by <@B>", "approved by <@B> and done", "expired": for a click on a decided request. */
export function decidedPhrase(rec: Pick<ApprovalRecord, 'state' | 'decidedBy'> | null): string {
  if (!rec) return 'decided';
  const by = rec.decidedBy ? ` by <@${rec.decidedBy}>` : '';
  if (rec.state === 'approved') return `approved${by}`;
  if (rec.state === 'executing') return `approved${by} and is running`;
  if (rec.state === 'succeeded') return `approved${by} and has run`;
  if (rec.state === 'failed') return `approved${by}, and its run failed`;
  return rec.state === 'expired' ? 'expired' : `${STATE_WORDS[rec.state]}${by}`;
}

/** The same message once decided: no buttons, who decided, when, and what happened. */
export function decidedApprovalMessage(
  rec: ApprovalRecord,
  plan: Plan,
  extra?: string,
  approvers: readonly string[] = [],
): Message {
  const who = decidedBy(rec, approvers);
  const when = rec.decidedAt ? ` at ${slackTime(rec.decidedAt)}` : '';
  const icon = {
    succeeded: ':white_check_mark:',
    failed: ':x:',
    rejected: ':no_entry_sign:',
    expired: ':alarm_clock:',
    cancelled: ':heavy_multiplication_x:',
    approved: ':hourglass_flowing_sand:',
    executing: ':hourglass_flowing_sand:',
    pending: ':grey_question:',
  }[rec.state];
  const status = `${icon} *${STATE_WORDS[rec.state]}*${rec.state === 'expired' ? '' : who}${when}`;
  const outcome = extra ?? rec.outcome;
  return {
    text: `${plan.title}: ${STATE_WORDS[rec.state]}${who}${outcome ? `. ${outcome}` : ''}`,
    visibility: 'in_channel',
    blocks: [
      { type: 'header', text: `${rec.command}${rec.env ? ` in ${rec.env}` : ''}: ${STATE_WORDS[rec.state]}` },
      ...planBlocks(plan),
      { type: 'section', text: status + (outcome ? `\n${outcome}` : '') },
      { type: 'context', text: `Requested by <@${rec.requesterId}> · approval ${rec.id}` },
    ],
  };
}
