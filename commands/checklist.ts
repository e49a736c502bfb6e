import { AppError } from '../src/errors.ts';
import { requireEnvironment } from '../src/core/environment.ts';
import type { QueryCommand } from '../src/ports/command.ts';
import { MARK_EMOJI } from '../src/core/checklist.ts';
import type { Message } from '../src/core/message.ts';

/** `/autorisen checklist [env]`: the rollout plan's eight items, each with its live status and evidence. */
export const checklistCommand: QueryCommand<{ env: string | null }> = {
  kind: 'query',
  name: 'checklist',
  summary: "The rollout plan's checklist, live: backups, migrations, API diff, probes, CI, backfills, alerts, releases",
  usage: 'checklist [env]',
  examples: ['checklist', 'checklist production'],
  permission: 'viewer',
  maxPositionals: 1,
  parse(args) {
    const [env, ...extra] = args.positional;
    if (extra.length > 0 || Object.keys(args.flags).length > 0)
      return {
        ok: false,
        error: `checklist takes at most one environment; got "${[...extra, ...Object.keys(args.flags)].join(' ')}" as well.`,
      };
    return { ok: true, input: { env: env ?? null } };
  },
  async run(input, ctx): Promise<Message> {
    let only: string | null = null;
    if (input.env !== null) {
      const env = requireEnvironment(ctx, input.env);
      only = env.name;
    }
    if (!ctx.checklist) throw new AppError('internal', 'The checklist is not set up in this instance of the bot.');
    const items = await ctx.checklist.gather(ctx, only);
    const green = items.filter((i) => i.mark === 'ok').length;
    const head = `*Rollout checklist${only ? ` (${only})` : ''}*: ${green} of ${items.length} green`;
    const lines = items.map(
      (item, n) =>
        `${MARK_EMOJI[item.mark]} ${n + 1}. *${item.title}*\n${item.evidence.map((e) => `      • ${e}`).join('\n')}`,
    );
    return {
      text: `${head}\n${lines.join('\n')}`,
      blocks: [{ type: 'section', text: head }, ...lines.map((text) => ({ type: 'section' as const, text }))],
    };
  },
};
