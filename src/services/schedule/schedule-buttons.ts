import { FLAG_VAR } from '../../core/flag.ts';
import { textMessage } from '../../core/message.ts';
import { md, mention } from '../../core/mrkdwn.ts';
import { formatWhen } from '../../core/schedule-time.ts';
import type { ActionHandler } from '../../core/transport.ts';
import type { SchedulePort } from '../../ports/schedules.ts';
import type { ScheduleDeps } from './schedule-deps.ts';
import { tellThread } from './schedule-port.ts';
import { CANCEL_ACTION, KEEP_ACTION } from './schedule-texts.ts';

/**
 * The buttons of "FEATURE_AUTORISEN was turned off; should the scheduled `on` still run?" (issue 23
 * §1), through the dispatcher's button handlers (role checked, click audited): operators only.
 */
export function scheduleButtons(d: ScheduleDeps, port: SchedulePort): ActionHandler[] {
  const zone = d.config.schedule.timezone;
  return [
    {
      actionId: KEEP_ACTION,
      permission: 'operator',
      async handle(req, caller) {
        const rec = await d.store.schedules.get(req.value);
        if (!rec) return textMessage(md`No scheduled change \`${req.value}\`.`);
        // Compare-and-set: a second click, or one after it ran or was cancelled, changes nothing.
        if (!(await d.store.schedules.keep(rec.id, d.clock.now())))
          return textMessage(md`\`${rec.id}\` has nothing to confirm any more (${rec.state}).`);
        const text = md`:white_check_mark: ${mention(caller.userId)} confirmed: \`${rec.id}\` still turns ${FLAG_VAR} on in ${rec.env} at ${formatWhen(rec.runAt, zone)}.`;
        await req.responder.replaceOriginal?.({ text, visibility: 'in_channel' });
        await tellThread(d, rec, text);
        return null;
      },
    },
    {
      actionId: CANCEL_ACTION,
      permission: 'operator',
      async handle(req, caller) {
        const r = await port.cancel(req.value, caller, req.correlationId);
        if (r.ok) await req.responder.replaceOriginal?.({ text: r.text, visibility: 'in_channel' });
        return r.ok ? null : textMessage(r.text);
      },
    },
  ];
}
