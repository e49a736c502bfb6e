import type { QueryCommand } from '../src/ports/command.ts';
import type { Message } from '../src/core/message.ts';
import { schedulesOf } from './flag-schedule.ts';

type ScheduleInput = { action: 'list' } | { action: 'cancel'; id: string };

/**
 * `/autorisen schedule [list|cancel <id>]` (issue 23 §1): the scheduled flag changes (made with
 * `flag on|off <env> at …|in …`). Listing is open to viewers; cancelling to whoever scheduled it
 * and to operators (checked by the schedule service, which audits it).
 */
export const scheduleCommand: QueryCommand<ScheduleInput> = {
  kind: 'query',
  name: 'schedule',
  summary: 'Scheduled flag changes: list them, or cancel one (`flag on <env> at …` schedules)',
  usage: 'schedule [list | cancel <id>]',
  examples: ['schedule', 'schedule cancel S1A2B3C4D'],
  permission: 'viewer',
  maxPositionals: 2,
  parse(args) {
    const [action = 'list', id, ...extra] = args.positional;
    if (action === 'list' && id === undefined) return { ok: true, input: { action: 'list' } };
    if (action === 'cancel' && id && extra.length === 0) return { ok: true, input: { action: 'cancel', id } };
    if (action === 'cancel')
      return { ok: false, error: 'Which one? e.g. `schedule cancel S1A2B3C4D` (`schedule` lists them).' };
    return {
      ok: false,
      error: `Unexpected "${[action, id].filter(Boolean).join(' ')}": use \`schedule\`, \`schedule list\` or \`schedule cancel <id>\`.`,
    };
  },
  async run(input, ctx): Promise<Message> {
    const schedules = schedulesOf(ctx);
    if (input.action === 'cancel') {
      const r = await schedules.cancel(input.id, ctx.caller, ctx.correlationId);
      return { text: r.text, visibility: r.ok ? 'in_channel' : 'ephemeral' };
    }
    const { open, recent } = await schedules.list();
    const zone = schedules.timezone;
    const head = `*Scheduled flag changes* (times in ${zone})`;
    const lines =
      open.length > 0
        ? open.map((l) => `• ${l}`)
        : ['Nothing is scheduled. `flag on <env> at YYYY-MM-DD HH:MM` or `… in 2h` schedules a change.'];
    const done = recent.length > 0 ? ['*Finished in the last day*', ...recent.map((l) => `• ${l}`)] : [];
    return { text: [head, ...lines, ...done].join('\n') };
  },
};
