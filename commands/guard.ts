import type { ActionCommand, CommandContext, QueryCommand } from '../src/ports/command.ts';
import { requireEnvironment } from '../src/core/environment.ts';
import { AppError } from '../src/errors.ts';
import type { GuardPort, GuardView } from '../src/ports/guard.ts';
import { evidenceText, latencyText, leftText, METRIC_NAMES } from '../src/core/guard/guard-text.ts';

/** `/autorisen guard …` (issue 21): the active guards, stopping one, and the backtest (guard-backtest.ts). */

export function guardsOf(ctx: CommandContext): GuardPort {
  if (!ctx.guards) throw new AppError('config_invalid', 'Guarded rollouts are not wired in this process.');
  return ctx.guards;
}

/** One guard as lines: what it guards, time left, baseline against now per metric. */
export function guardLines(v: GuardView, now: number): string[] {
  const g = v.guard;
  const head = `*${g.env}*: guarding ${g.label} — ${leftText(g.endsAt - now)} left of ${v.windowMinutes} min; on a regression: ${g.action.replace('_', ' ')}${g.note ? ` (${g.note})` : ''}`;
  const base = `  baseline: ${g.baseline.counts.requests} requests over ${g.baseline.counts.minutes} min, ${latencyText(g.baseline.p95Ms, g.baseline.p99Ms)}`;
  const metrics = v.now
    ? v.now.metrics.map(
        (m) => `  ${m.status === 'regressed' ? '🔴' : m.status === 'ok' ? '🟢' : '⚪'} ${evidenceText(m)}`,
      )
    : v.metrics.map((m) => `  ${METRIC_NAMES[m]}`);
  return [head, base, ...metrics];
}

export const guardCommand: QueryCommand<{ env: string | null }> = {
  kind: 'query',
  name: 'guard',
  summary: 'Active guards of production changes: what each watches, baseline against now, time left',
  usage: 'guard [env]',
  examples: ['guard', 'guard production'],
  permission: 'viewer',
  maxPositionals: 1,
  parse(args) {
    const [env, extra] = args.positional;
    if (extra !== undefined)
      return { ok: false, error: `Expected at most one environment; got "${args.positional.join(' ')}".` };
    return { ok: true, input: { env: env ?? null } };
  },
  async run(input, ctx) {
    const env = input.env ? requireEnvironment(ctx, input.env).name : undefined;
    const views = await guardsOf(ctx).active(env);
    const now = ctx.clock.now();
    if (views.length === 0) {
      const on = ctx.environments.filter((e) => ctx.guards?.enabled(e.name)).map((e) => e.name);
      const where =
        on.length > 0
          ? `Guards start after \`flag on\` in ${on.join(', ')}.`
          : 'No environment is guarded (config `guard:`).';
      return { text: `No active guards${env ? ` in ${env}` : ''}. ${where}` };
    }
    const text = views.flatMap((v) => guardLines(v, now)).join('\n');
    return { text: `🛡️ Active guards:\n${text}` };
  },
};

export const guardStopCommand: ActionCommand<{ env: string }> = {
  kind: 'action',
  name: 'guard stop',
  summary: "End an environment's active guards early (they will not act)",
  usage: 'guard stop <env>',
  examples: ['guard stop production'],
  permission: 'operator',
  approval: 'never',
  envOf: (input) => input.env,
  maxPositionals: 1,
  parse(args) {
    const [env, extra] = args.positional;
    if (!env) return { ok: false, error: 'Which environment? e.g. `guard stop production`.' };
    if (extra !== undefined)
      return { ok: false, error: `guard stop takes just the environment; got "${extra}" as well.` };
    return { ok: true, input: { env } };
  },
  async plan(input, ctx) {
    const env = requireEnvironment(ctx, input.env);
    const views = await guardsOf(ctx).active(env.name);
    return {
      title: `Stop the guards of ${env.name}`,
      lines: views.map((v) => `Guard of ${v.guard.label} (${v.guard.action.replace('_', ' ')})`),
      warnings: [],
      env: env.name,
      data: null,
      fingerprint: views.map((v) => v.guard.id).join(','),
      ...(views.length === 0 ? { noop: `No active guard in ${env.name}.` } : {}),
    };
  },
  async execute(plan, input, ctx) {
    const env = plan.env ?? input.env;
    const n = await guardsOf(ctx).stop(env, ctx.caller.userId);
    return {
      ok: true,
      announce: true,
      summary: `stopped ${n} guard(s)`,
      message: {
        text: `⏹️ <@${ctx.caller.userId}> stopped ${n} guard${n === 1 ? '' : 's'} on ${env}: ${n === 1 ? 'it' : 'they'} will not act.`,
        visibility: 'in_channel',
      },
    };
  },
};
