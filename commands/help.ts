import type { QueryCommand } from '../src/ports/command.ts';
import { waivedGateWarnings } from '../src/core/environment.ts';
import { aRole, roleAtLeast } from '../src/core/roles.ts';

/** `/autorisen help [command]`: generated from the registry, filtered by the caller's role. */
export const help: QueryCommand<{ topic: string | null }> = {
  kind: 'query',
  name: 'help',
  aliases: ['?'],
  summary: 'List the commands you may run, or explain one',
  usage: 'help [command]',
  examples: ['help', 'help flag'],
  permission: 'viewer',
  maxPositionals: 2,
  parse(args) {
    if (args.positional.length > 2)
      return { ok: false, error: 'help takes one command name, e.g. `help flag` or `help flag on`.' };
    return { ok: true, input: { topic: args.positional.length > 0 ? args.positional.join(' ') : null } };
  },
  async run({ topic }, ctx) {
    const visible = ctx.catalog.filter((c) => roleAtLeast(ctx.caller.role, c.permission));
    if (topic) {
      const c = ctx.catalog.find((x) => x.name === topic || x.aliases?.includes(topic));
      const family = ctx.catalog.filter((x) => x.name.startsWith(`${topic} `));
      if (!c && family.length > 0)
        return { text: family.map((f) => `/autorisen ${f.usage}\n  ${f.summary}`).join('\n') };
      if (!c) return { text: `No command named "${topic}". Try \`/autorisen help\`.` };
      const note = roleAtLeast(ctx.caller.role, c.permission)
        ? ''
        : `\n(needs the ${c.permission} role; you are ${aRole(ctx.caller.role)})`;
      const examples = c.examples.map((e) => `  /autorisen ${e}`).join('\n');
      return { text: `/autorisen ${c.usage}\n${c.summary}${note}${examples ? `\nExamples:\n${examples}` : ''}` };
    }
    const lines = visible.map((c) => `\`/autorisen ${c.usage}\` — ${c.summary}`);
    const hidden = ctx.catalog.length - visible.length;
    const footer = hidden > 0 ? `\n_${hidden} more command(s) need a higher role than ${ctx.caller.role}._` : '';
    // Gates production has waived in the config, so nobody assumes a second pair of eyes (issue 9 §3).
    const waived = waivedGateWarnings(ctx.environments);
    const warning = waived.length > 0 ? `\n${waived.join('\n')}` : '';
    return {
      text: `Commands you can run (you are ${aRole(ctx.caller.role)}):\n${lines.join('\n')}${footer}${warning}`,
      blocks: [
        { type: 'section', text: `*Commands you can run* (you are ${aRole(ctx.caller.role)}):` },
        { type: 'section', text: lines.join('\n') },
        ...(waived.length > 0 ? [{ type: 'section' as const, text: waived.join('\n') }] : []),
        ...(footer ? [{ type: 'context' as const, text: footer.trim() }] : []),
        {
          type: 'context',
          text: 'Add `--dry-run` to anything that changes things to see the plan first. `/autorisen help <command>` for details.',
        },
      ],
    };
  },
};
