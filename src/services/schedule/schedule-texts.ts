import { FLAG_VAR } from '../../core/flag.ts';
import type { Message } from '../../core/message.ts';
import { type Markup, markup, md, mention } from '../../core/mrkdwn.ts';
import { formatWhen } from '../../core/schedule-time.ts';
import type { ScheduleRecord } from '../../ports/stores/schedules.ts';

/** The words of scheduled flag changes (issue 23 §1), in one place. */

export const KEEP_ACTION = 'autorisen:schedule-keep';
export const CANCEL_ACTION = 'autorisen:schedule-cancel';

/** "FEATURE_AUTORISEN on in production at 2026-12-08 09:00 UTC". */
export function what(rec: ScheduleRecord, zone: string): string {
  return `${FLAG_VAR} ${rec.target} in ${rec.env} at ${formatWhen(rec.runAt, zone)}`;
}

/** "approved ahead by <@B> and <@C>", "no approval needed" (also Home's wording). */
export function approvalState(rec: Pick<ScheduleRecord, 'approvedBy'>): Markup {
  if (rec.approvedBy.length === 0) return markup('no approval needed');
  return markup(`approved ahead by ${rec.approvedBy.map((u) => mention(u).text).join(' and ')}`);
}

/** The message a scheduled change is told under (its thread hears how the run went). */
export function scheduledMessage(rec: ScheduleRecord, zone: string): Message {
  const reason = markup(rec.reason ? md` Reason: ${rec.reason}.` : '');
  const text = md`:calendar: ${mention(rec.requesterId)} scheduled \`${rec.id}\`: ${what(rec, zone)} (${approvalState(rec)}).${reason} It runs as ${mention(rec.requesterId)}, after checking the lock, the gates, the code and any guard again; this thread hears how it went.`;
  return { text, visibility: 'in_channel' };
}

/** A flag off happened after it was scheduled: should the `on` still run? (buttons). */
export function stillRunQuestion(rec: ScheduleRecord, zone: string, offBy: string | null, offAt: number): Message {
  const by = markup(offBy ? md` by ${mention(offBy)}` : '');
  const when = formatWhen(rec.runAt, zone);
  return {
    text: md`:question: ${mention(rec.requesterId)} ${FLAG_VAR} was turned off in ${rec.env}${by} at ${formatWhen(offAt, zone)}, after \`${rec.id}\` was scheduled to turn it on at ${when}. Should it still run? If nobody confirms by then, it is skipped.`,
    visibility: 'in_channel',
    buttons: [
      { actionId: KEEP_ACTION, label: `Still turn it on at ${when}`, value: rec.id, style: 'primary' },
      { actionId: CANCEL_ACTION, label: 'Cancel it', value: rec.id, style: 'danger' },
    ],
  };
}

/** One line of `schedule list` and Home. */
export function scheduleLine(rec: ScheduleRecord, zone: string): string {
  const asked = rec.askedAt !== null ? ' · :question: waiting for a confirmation since a flag off' : '';
  const running = rec.state === 'running' ? ' · running now' : '';
  return md`\`${rec.id}\` ${what(rec, zone)} · by ${mention(rec.requesterId)} · ${approvalState(rec)}${markup(asked + running)}`;
}

/** One line of a finished one. */
export function finishedLine(rec: ScheduleRecord, zone: string): string {
  // The outcome is the bot's own text (its reply to the run), already mrkdwn.
  return md`\`${rec.id}\` ${what(rec, zone)} · ${rec.state}: ${markup(rec.outcome ?? '')}`;
}
