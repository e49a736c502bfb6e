import { md, mention } from '../../core/mrkdwn.ts';
import { roleAtLeast } from '../../core/roles.ts';
import type { SchedulePort } from '../../ports/schedules.ts';
import type { ScheduleRecord } from '../../ports/stores/schedules.ts';
import { audit } from '../audit.ts';
import type { ScheduleDeps } from './schedule-deps.ts';
import { finishedLine, scheduledMessage, scheduleLine, what } from './schedule-texts.ts';

/** How far back `schedule list` shows finished ones. */
const RECENT_MS = 24 * 3_600_000;

/** Scheduled flag changes as commands see them: store (after approval), list, cancel. */
export function createSchedulePort(d: ScheduleDeps): SchedulePort {
  const zone = d.config.schedule.timezone;
  return {
    timezone: zone,

    async schedule(req) {
      const now = d.clock.now();
      // Who approved it ahead: every distinct approver of an N-of-M request, else the one who decided.
      const approval = req.approvalId ? await d.store.approvals.get(req.approvalId) : null;
      const voters = req.approvalId ? await d.store.approvals.approvers(req.approvalId) : [];
      const approvedBy = voters.length > 0 ? voters : approval?.decidedBy ? [approval.decidedBy] : [];
      const rec = await d.store.schedules.create({
        id: `S${d.ids
          .next()
          .replace(/[^A-Za-z0-9]/g, '')
          .slice(-8)
          .toUpperCase()}`,
        ...req,
        approvedBy,
        createdAt: now,
        quietSince: now,
      });
      // Under the approval message when there is one (its thread has the story); else in the channel.
      const anchor = approval?.messageChannel && approval.messageTs ? approval.messageChannel : req.channelId;
      const threadTs = approval?.messageChannel && approval.messageTs ? approval.messageTs : undefined;
      try {
        const ref = await d.chat().post(anchor, scheduledMessage(rec, zone), threadTs ? { threadTs } : undefined);
        const ts = threadTs ?? ref.ts;
        await d.store.schedules.setMessage(rec.id, ref.channel, ts);
        return { ...rec, messageChannel: ref.channel, messageTs: ts };
      } catch (err) {
        // Its run is still told (DM and the announce channel); a missing message must not lose the schedule.
        d.log.warn({ err, scheduleId: rec.id }, 'could not post the scheduled change message');
        return rec;
      }
    },

    async list() {
      const [open, recent] = await Promise.all([
        d.store.schedules.open(),
        d.store.schedules.finished(d.clock.now() - RECENT_MS, 10),
      ]);
      return { open: open.map((r) => scheduleLine(r, zone)), recent: recent.map((r) => finishedLine(r, zone)) };
    },

    async cancel(id, by, correlationId) {
      const rec = await d.store.schedules.get(id.toUpperCase());
      if (!rec) return { ok: false, text: md`No scheduled change \`${id}\`; \`/autorisen schedule\` lists them.` };
      if (rec.requesterId !== by.userId && !roleAtLeast(by.role, 'operator'))
        return {
          ok: false,
          text: md`:no_entry: Only ${mention(rec.requesterId)} (who scheduled it) or an operator may cancel \`${rec.id}\`.`,
        };
      const outcome = md`Cancelled by ${mention(by.userId)}.`;
      const now = d.clock.now();
      if (!(await d.store.schedules.transition(rec.id, 'scheduled', 'cancelled', { finishedAt: now, outcome })))
        return { ok: false, text: md`\`${rec.id}\` is no longer waiting (${rec.state}); nothing was cancelled.` };
      await audit(d.store, d.log, {
        at: now,
        correlationId,
        actorId: by.userId,
        command: 'schedule',
        args: `schedule cancel ${rec.id}`,
        action: 'cancel',
        result: 'ok',
        detail: `schedule ${rec.id}: ${what(rec, zone)}`,
        env: rec.env,
      });
      await tellThread(d, rec, `:heavy_multiplication_x: ${outcome} Nothing will run.`);
      return { ok: true, text: md`:heavy_multiplication_x: Cancelled \`${rec.id}\`: ${what(rec, zone)} will not run.` };
    },
  };
}

/** Post in the thread of the schedule's message (or, without one, in the channel it was asked in). */
export async function tellThread(d: ScheduleDeps, rec: ScheduleRecord, text: string): Promise<void> {
  try {
    if (rec.messageChannel && rec.messageTs)
      await d.chat().post(rec.messageChannel, { text, visibility: 'in_channel' }, { threadTs: rec.messageTs });
    else await d.chat().post(rec.channelId, { text, visibility: 'in_channel' });
  } catch (err) {
    d.log.warn({ err, scheduleId: rec.id }, 'could not tell the scheduled change thread');
  }
}
