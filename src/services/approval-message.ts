import type { Plan } from '../core/command.ts';
import type { Message } from '../core/message.ts';
import { STATE_WORDS } from '../core/approvals.ts';
import { slackTime } from '../core/slack-date.ts';

export { slackTime };
import type { ApprovalRecord } from '../ports/stores/approvals.ts';
import { planBlocks, planText } from './plan-message.ts';

export const APPROVE_ACTION = 'autorisen:approve';
export const REJECT_ACTION = 'autorisen:reject';

/** The message asking for approval: the exact plan, who asked, when it expires, and the two buttons. */
export function pendingApprovalMessage(rec: ApprovalRecord, plan: Plan): Message {
  return {
    text: `<@${rec.requesterId}> asks for approval: ${planText(plan)}`,
    visibility: 'in_channel',
    blocks: [
      { type: 'header', text: `Approval needed: ${rec.command}${rec.env ? ` in ${rec.env}` : ''}` },
      ...planBlocks(plan),
      {
        type: 'context',
        text: `Requested by <@${rec.requesterId}> · needs an ${rec.approverRole} other than the requester · expires ${slackTime(rec.expiresAt)}`,
      },
    ],
    buttons: [
      {
        actionId: APPROVE_ACTION,
        label: 'Approve',
        value: rec.id,
        style: 'primary',
        confirm: `Run "${plan.title}" now?`,
      },
      { actionId: REJECT_ACTION, label: 'Reject', value: rec.id, style: 'danger' },
    ],
  };
}

/**
 * Who decided, worded so it never blames them: a failed run reads "failed · approved by <@X>",
 * not "failed by <@X>" (the approver approved; the run, or a changed plan, failed).
 */
function decidedBy(rec: Pick<ApprovalRecord, 'state' | 'decidedBy'>): string {
  if (!rec.decidedBy) return '';
  return rec.state === 'failed' ? ` · approved by <@${rec.decidedBy}>` : ` by <@${rec.decidedBy}>`;
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
export function decidedApprovalMessage(rec: ApprovalRecord, plan: Plan, extra?: string): Message {
  const who = decidedBy(rec);
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
