import type { Plan } from '../core/command.ts';
import type { Message } from '../core/message.ts';
import { STATE_WORDS } from '../core/approvals.ts';
import type { ApprovalRecord } from '../ports/stores/approvals.ts';
import { planBlocks, planText } from './plan-message.ts';

export const APPROVE_ACTION = 'autorisen:approve';
export const REJECT_ACTION = 'autorisen:reject';

/** Slack renders <!date^…> in the reader's time zone; the fallback is UTC. */
export function slackTime(ms: number): string {
  const iso = `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${iso}>`;
}

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

/** The same message once decided: no buttons, who decided, when, and what happened. */
export function decidedApprovalMessage(rec: ApprovalRecord, plan: Plan, extra?: string): Message {
  const who = rec.decidedBy ? ` by <@${rec.decidedBy}>` : '';
  const when = rec.decidedAt ? ` at ${slackTime(rec.decidedAt)}` : '';
  const icon = {
    succeeded: ':white_check_mark:',
    failed: ':x:',
    rejected: ':no_entry_sign:',
    expired: ':hourglass:',
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
