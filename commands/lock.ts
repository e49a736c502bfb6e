import { requireEnvironment } from '../src/core/environment.ts';
import type { ActionCommand } from '../src/ports/command.ts';
import { lockedMessage } from '../src/core/deploys.ts';
import { escapeMrkdwn } from '../src/core/mrkdwn.ts';

/** `/autorisen lock <env> <reason…>`: freeze an environment; deploys, rollbacks and flag changes are refused until unlock. */
export const lockCommand: ActionCommand<{ env: string; reason: string }> = {
  kind: 'action',
  name: 'lock',
  summary: 'Freeze an environment: no deploys, rollbacks or flag changes until someone unlocks it',
  usage: 'lock <env> <reason…>',
  examples: ['lock production investigating 500s after v42', 'lock staging demo at 3pm'],
  permission: 'operator',
  approval: 'never',
  envOf: (input) => input.env,
  // The reason is free text: every word after the environment.
  maxPositionals: Number.POSITIVE_INFINITY,
  parse(args) {
    const [env, ...words] = args.positional;
    if (!env) return { ok: false, error: 'Which environment, and why? e.g. `lock production investigating errors`.' };
    if (words.length === 0)
      return {
        ok: false,
        error: 'Say why, so people who are refused know: e.g. `lock production investigating errors`.',
      };
    return { ok: true, input: { env, reason: words.join(' ') } };
  },
  async plan(input, ctx) {
    const env = requireEnvironment(ctx, input.env);
    const held = await ctx.store.locks.get(env.name, ctx.clock.now());
    const base = {
      title: `Lock ${env.name}: ${escapeMrkdwn(input.reason)}`,
      lines: [
        `Until \`/autorisen unlock ${env.name}\`, deploys, rollbacks and flag changes are refused with this reason.`,
      ],
      warnings: [],
      env: env.name,
      data: { env: env.name, reason: input.reason },
      fingerprint: held?.token ?? 'free',
    };
    return held ? { ...base, noop: `Already: ${lockedMessage(env.name, held)}` } : base;
  },
  async execute(plan, input, ctx) {
    const env = plan.env ?? input.env;
    const now = ctx.clock.now();
    const r = await ctx.store.locks.acquire({
      env,
      holderId: ctx.caller.userId,
      kind: 'manual',
      reason: input.reason,
      token: ctx.ids.next(),
      acquiredAt: now,
      expiresAt: null,
    });
    if (!r.ok)
      return {
        ok: false,
        summary: 'already locked',
        message: { text: `:lock: Not locked by you: ${lockedMessage(env, r.heldBy)}` },
      };
    return {
      ok: true,
      announce: true,
      summary: `locked ${env}: ${input.reason}`,
      message: {
        text: `:lock: <@${ctx.caller.userId}> locked ${env}: ${escapeMrkdwn(input.reason)}. Deploys, rollbacks and flag changes are refused until \`/autorisen unlock ${env}\`.`,
        visibility: 'in_channel',
      },
    };
  },
};
