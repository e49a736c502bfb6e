import { requireEnvironment } from '../src/core/environment.ts';
import type { ActionCommand } from '../src/ports/command.ts';
import { escapeMrkdwn } from '../src/core/mrkdwn.ts';

/** `/autorisen unlock <env>`: lift a lock (a manual freeze, the lock left after a rollback, or a stale one). */
export const unlockCommand: ActionCommand<{ env: string }> = {
  kind: 'action',
  name: 'unlock',
  summary: 'Lift the lock on an environment (after a rollback, a freeze, or a stale lock)',
  usage: 'unlock <env>',
  examples: ['unlock production'],
  permission: 'operator',
  approval: 'never',
  envOf: (input) => input.env,
  maxPositionals: 1,
  parse(args) {
    const [env, ...extra] = args.positional;
    if (!env) return { ok: false, error: 'Which environment? e.g. `unlock production`.' };
    if (extra.length > 0)
      return { ok: false, error: `unlock takes just the environment; got "${extra.join(' ')}" as well.` };
    return { ok: true, input: { env } };
  },
  async plan(input, ctx) {
    const env = requireEnvironment(ctx, input.env);
    const held = await ctx.store.locks.get(env.name, ctx.clock.now());
    if (!held)
      return {
        title: `Unlock ${env.name}`,
        lines: [],
        warnings: [],
        env: env.name,
        data: null,
        fingerprint: 'free',
        noop: `${env.name} is not locked.`,
      };
    const warnings =
      held.kind === 'manual'
        ? []
        : [
            `A ${held.kind} holds this lock and may still be running; unlocking lets another change start alongside it.`,
          ];
    return {
      title: `Unlock ${env.name}`,
      lines: [`Locked by <@${held.holderId}> (${held.kind}): ${escapeMrkdwn(held.reason)}`],
      warnings,
      env: env.name,
      data: { token: held.token },
      fingerprint: held.token,
    };
  },
  async execute(plan, input, ctx) {
    const env = plan.env ?? input.env;
    const token = (plan.data as { token?: string } | null)?.token ?? null;
    // Release exactly the lock the plan showed: if it changed hands meanwhile, say so rather than lift someone else's.
    const released = await ctx.store.locks.release(env, token);
    if (!released)
      return {
        ok: false,
        summary: 'lock changed',
        message: {
          text: `The lock on ${env} changed since you looked; run \`/autorisen unlock ${env}\` again to see who holds it now.`,
        },
      };
    return {
      ok: true,
      announce: true,
      summary: `unlocked ${env}`,
      message: {
        text: `:unlock: <@${ctx.caller.userId}> unlocked ${env}. Deploys, rollbacks and flag changes may go ahead.`,
        visibility: 'in_channel',
      },
    };
  },
};
