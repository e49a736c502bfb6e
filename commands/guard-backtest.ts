import { formatTime } from '../src/core/alerts/context.ts';
import type { QueryCommand } from '../src/ports/command.ts';
import type { MessageBlock } from '../src/core/message.ts';
import { sparkline } from '../src/core/drain/stats.ts';
import { requireEnvironment } from '../src/core/environment.ts';
import { METRIC_NAMES } from '../src/core/guard/guard-text.ts';
import { guardsOf } from './guard.ts';
import { readSince } from './metrics.ts';

/** Longest `--since`: the drain keeps 14 days by default. */
const MAX_SINCE_MS = 30 * 86_400_000;
const DEFAULT_SINCE_MS = 7 * 86_400_000;

type Input = { env: string | null; sinceMs: number };

/**
 * `/autorisen guard backtest [env] [--since 7d]` (issue 21 §7): the guard's detector over the
 * stored minute aggregates, so a team can see what it would have done before trusting it to act.
 */
export const guardBacktestCommand: QueryCommand<Input> = {
  kind: 'query',
  name: 'guard backtest',
  summary: 'Replay the guard over stored drain minutes: would it have tripped at past changes, and falsely elsewhere?',
  usage: 'guard backtest [env] [--since 7d]',
  examples: ['guard backtest production', 'guard backtest production --since 3d'],
  permission: 'viewer',
  options: [{ name: 'since', kind: 'value' }],
  maxPositionals: 1,
  parse(args) {
    const [env, extra] = args.positional;
    if (extra !== undefined)
      return { ok: false, error: `Expected at most one environment; got "${args.positional.join(' ')}".` };
    const since = readSince(args.flags.since, DEFAULT_SINCE_MS, MAX_SINCE_MS, '30d');
    return since.ok ? { ok: true, input: { env: env ?? null, sinceMs: since.ms } } : since;
  },
  async run(input, ctx) {
    const env = input.env
      ? requireEnvironment(ctx, input.env)
      : (ctx.environments.find((e) => e.production) ?? ctx.environments[0]);
    if (!env) return { text: 'No environments are configured.' };
    const now = ctx.clock.now();
    const r = await guardsOf(ctx).backtest(env.name, now - input.sinceMs);
    const lines = [`🛡️ Guard backtest for ${env.name} since ${formatTime(r.since, now)}:`];
    if (r.changes.length === 0) lines.push('No changes in that time.');
    else {
      lines.push('| change | when | would have |', '|---|---|---|');
      for (const c of r.changes) {
        const what =
          c.verdict === 'tripped'
            ? `tripped after ${c.trippedAfterMin} min on ${METRIC_NAMES[c.metric!]}`
            : c.verdict === 'ok'
              ? 'not tripped'
              : 'too little traffic to judge';
        lines.push(`| ${c.label} | ${formatTime(c.at, now)} | ${what} |`);
      }
    }
    const perDay = r.quietDays > 0 ? (r.quietTrips / r.quietDays).toFixed(2) : '–';
    lines.push(
      `Change-free: ${r.quietWindows} windows (${r.quietDays.toFixed(1)} days of guard time), ${r.quietTrips} false trip${r.quietTrips === 1 ? '' : 's'}: ${perDay} per day.`,
    );
    const perDayTrips = r.tripsPerDay.map((d) => d.trips);
    // With PUBLIC_URL, the bar chart image; without it (or in the shell), a text sparkline.
    if (r.tripsPerDay.length > 1 && !r.chartUrl)
      lines.push(`False trips per day: ${sparkline(perDayTrips)} (${perDayTrips.join(' ')})`);
    if (!r.chartUrl) return { text: lines.join('\n') };
    const [head, ...table] = lines;
    const blocks: MessageBlock[] = [
      { type: 'section', text: `*${head}*` },
      { type: 'section', text: table.join('\n') },
      {
        type: 'image',
        url: r.chartUrl,
        alt: `${env.name}: the guard's false trips per day over change-free time, oldest first (${perDayTrips.join(' ') || 'none'})`,
      },
    ];
    return { text: `${lines.join('\n')}\nFalse trips per day (${perDayTrips.join(' ')}): ${r.chartUrl}`, blocks };
  },
};
