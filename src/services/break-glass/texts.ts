import {
  CONFIRM_BLOCK,
  CONFIRM_CALLBACK,
  CONFIRM_INPUT,
  CONFIRM_PROMPT,
  REVIEW_ACTION,
} from '../../core/break-glass.ts';
import type { Message } from '../../core/message.ts';
import { markup, mention, md } from '../../core/mrkdwn.ts';
import type { ConfirmPrompt } from '../../core/transport.ts';
import type { BreakGlassRecord } from '../../ports/stores/break-glass.ts';

/** What break-glass says (issue 23 §2), in one place: the prompt, the notice, the review and its reminders. */

/** What break-glass skips and what it never skips: the dry run and the confirmation say it the same way. */
export function skipsText(env: string): string {
  return md`Break-glass would skip only the second person's approval in ${env} (including any N-of-M rule). It still takes the backup, still refuses while ${env} is locked, still runs the gates, and the guard still watches afterwards.`;
}

/** The confirmation the transport shows: a Slack modal, or the shell's prompt. */
export function confirmPrompt(rec: BreakGlassRecord): ConfirmPrompt {
  return {
    callbackId: CONFIRM_CALLBACK,
    privateMetadata: rec.id,
    title: 'Break glass',
    text: md`:rotating_light: *Break glass:* \`${rec.commandText}\` in *${rec.env}* without a second person.\nReason: ${rec.reason}\n${skipsText(rec.env)}\nType *${rec.env}* below to run it.`,
    label: CONFIRM_PROMPT,
    blockId: CONFIRM_BLOCK,
    actionId: CONFIRM_INPUT,
    submitLabel: 'Run it',
  };
}

/** The emergency notice in the announce channel, before the change runs. */
export function emergencyNotice(rec: BreakGlassRecord): Message {
  return {
    text: md`:rotating_light: *Break-glass* by ${mention(rec.actorId)} in *${rec.env}*: \`${rec.commandText}\` runs without a second person. Reason: ${rec.reason}`,
    visibility: 'in_channel',
  };
}

/**
 * The review the team is asked for once the change ran; the button stays until someone else
 * acknowledges it. `outcome` is the bot's own mrkdwn (a command's summary, an error's user message).
 */
export function reviewMessage(rec: BreakGlassRecord, outcome: string): Message {
  return {
    text: md`:rotating_light: *Break-glass review needed:* ${mention(rec.actorId)} ran \`${rec.commandText}\` in *${rec.env}* without a second person.\nReason: ${rec.reason}\nOutcome: ${markup(outcome)}\nAnother operator or admin, please look at what changed and acknowledge.`,
    buttons: [{ actionId: REVIEW_ACTION, label: 'Acknowledge review', value: rec.id, style: 'primary' }],
    visibility: 'in_channel',
  };
}

/** The review message once acknowledged (the button is gone). */
export function reviewedMessage(rec: BreakGlassRecord): Message {
  return {
    text: md`:white_check_mark: Break-glass \`${rec.commandText}\` in *${rec.env}* by ${mention(rec.actorId)} (reason: ${rec.reason}) was reviewed by ${mention(rec.reviewedBy ?? '?')}.`,
    visibility: 'in_channel',
  };
}

/** A reminder while the review is open. */
export function reminderMessage(rec: BreakGlassRecord): Message {
  return {
    text: md`:bell: Reminder: the break-glass \`${rec.commandText}\` in *${rec.env}* by ${mention(rec.actorId)} still waits for a review by another operator (reason: ${rec.reason}).`,
    buttons: [{ actionId: REVIEW_ACTION, label: 'Acknowledge review', value: rec.id, style: 'primary' }],
    visibility: 'in_channel',
  };
}
