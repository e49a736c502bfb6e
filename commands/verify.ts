import { requireEnvironment } from '../src/core/environment.ts';
import { flagOffButton } from '../src/core/command-buttons.ts';
import type { QueryCommand } from '../src/ports/command.ts';
import type { Message } from '../src/core/message.ts';
import { AppError } from '../src/errors.ts';

/** `/autorisen verify <env>`: the health URL and the environment's contract probes, now. */
export const verifyCommand: QueryCommand<{ env: string }> = {
  kind: 'query',
  name: 'verify',
  summary: "Check an environment's health URL and its API contract probes now",
  usage: 'verify <env>',
  examples: ['verify staging', 'verify production'],
  permission: 'viewer',
  maxPositionals: 1,
  parse(args) {
    const [env, ...extra] = args.positional;
    if (!env) return { ok: false, error: 'Which environment? e.g. `verify staging`.' };
    if (extra.length > 0 || Object.keys(args.flags).length > 0)
      return {
        ok: false,
        error: `verify takes one environment; got "${[...extra, ...Object.keys(args.flags)].join(' ')}" as well.`,
      };
    return { ok: true, input: { env } };
  },
  async run(input, ctx): Promise<Message> {
    const env = requireEnvironment(ctx, input.env);
    if (!ctx.probes) throw new AppError('internal', 'Probes are not set up in this instance of the bot.');
    const r = await ctx.probes.run(env.name);
    // Kept for `/autorisen checklist`; a storage failure is logged, the answer below stands.
    await ctx.probes.record(r, { trigger: 'verify', actor: ctx.caller.userId, correlationId: ctx.correlationId });
    const healthOk = r.health.status !== null && r.health.status >= 200 && r.health.status < 300;
    const lines = [
      `${healthOk ? ':white_check_mark:' : ':x:'} health ${r.health.url}: ${r.health.status ?? 'no answer'}`,
      ...r.results.map(
        (p) =>
          `${p.ok ? ':white_check_mark:' : ':x:'} ${p.name}: ${p.status ?? p.error ?? 'no answer'}${p.ok ? '' : ` (expected ${p.expect})`}`,
      ),
    ];
    if (r.results.length === 0 && ctx.probes.count(env.name) === 0)
      lines.push(`No contract probes are configured for ${env.name} (config \`probes.${env.name}\`).`);
    const head = r.ok
      ? `:white_check_mark: ${env.name}: health and ${r.results.length} contract probe(s) pass${r.flag ? ` (flag ${r.flag})` : ''}.`
      : `:x: ${env.name}: ${r.results.filter((p) => !p.ok).length + (healthOk ? 0 : 1)} check(s) failed${r.flag ? ` (flag ${r.flag})` : ''}.`;
    return {
      text: `${head}\n${lines.join('\n')}`,
      blocks: [
        { type: 'section', text: head },
        { type: 'section', text: lines.join('\n') },
      ],
      ...(r.ok || r.flag !== 'on'
        ? {}
        : {
            buttons: [flagOffButton(env.name, 'contract probes failed')],
          }),
    };
  },
};
