import { formatTime } from '../src/core/alerts/context.ts';
import type { QueryCommand } from '../src/ports/command.ts';
import { msText, pct, sparkline } from '../src/core/drain/stats.ts';
import type { MessageBlock } from '../src/core/message.ts';
import type { MetricsPoint } from '../src/ports/metrics.ts';

/** Longest `--since` (the drain keeps days, a chart of more than a week says little). */
const MAX_SINCE_MS = 7 * 24 * 3_600_000;
/** Characters of a sparkline: minutes are folded into this many buckets (the peak of each). */
const SPARK_WIDTH = 48;

type Input = { env: string | null; sinceMs: number };

/** `1h`, `90m`, `2d` → ms; null when not of that shape. */
export function parseSince(text: string): number | null {
  const m = /^(\d{1,4})(m|h|d)$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
}

/** `--since` as a duration in ms (default when absent), at most `max` (said as `maxText`). */
export function readSince(
  since: string | true | undefined,
  def: number,
  max: number,
  maxText: string,
): { ok: true; ms: number } | { ok: false; error: string } {
  if (since === true) return { ok: false, error: '--since needs a duration such as 30m, 1h or 2d.' };
  const ms = since === undefined ? def : parseSince(since);
  if (ms === null || ms <= 0)
    return { ok: false, error: `--since expects a duration such as 30m, 1h or 2d; got "${since}".` };
  if (ms > max) return { ok: false, error: `--since is at most ${maxText}.` };
  return { ok: true, ms };
}

/** The peak of each of `width` buckets (null where a bucket has no data). */
function fold(values: readonly (number | null)[], width: number): (number | null)[] {
  if (values.length <= width) return [...values];
  const out: (number | null)[] = [];
  for (let b = 0; b < width; b++) {
    const slice = values.slice(Math.floor((b * values.length) / width), Math.floor(((b + 1) * values.length) / width));
    const nums = slice.filter((v): v is number => v !== null);
    out.push(nums.length ? Math.max(...nums) : null);
  }
  return out;
}

function series(points: readonly MetricsPoint[], pick: (p: MetricsPoint) => number | null): (number | null)[] {
  return fold(points.map(pick), SPARK_WIDTH);
}

/**
 * `/autorisen metrics [env] [--since 1h]`: what Heroku's router and dynos say about an environment
 * (from the log drain): a chart image of latency, 5xx and memory with changes marked, sparklines
 * for text, and before/after numbers around every deploy, rollback or flag flip in the window.
 */
export const metricsCommand: QueryCommand<Input> = {
  kind: 'query',
  name: 'metrics',
  summary: 'Latency, 5xx, auth failures and memory from the Heroku log drain, with changes marked',
  usage: 'metrics [env] [--since 1h]',
  examples: ['metrics', 'metrics production --since 3h', 'metrics staging --since 30m'],
  permission: 'viewer',
  options: [{ name: 'since', kind: 'value' }],
  maxPositionals: 1,
  parse(args) {
    const [env, extra] = args.positional;
    if (extra !== undefined)
      return {
        ok: false,
        error: `Expected at most one environment after "metrics"; got "${args.positional.join(' ')}".`,
      };
    for (const f of Object.keys(args.flags))
      if (f !== 'since')
        return { ok: false, error: `Unknown option --${f}; metrics takes only --since (e.g. --since 1h).` };
    const since = readSince(args.flags.since, 3_600_000, MAX_SINCE_MS, '7d');
    return since.ok ? { ok: true, input: { env: env ?? null, sinceMs: since.ms } } : since;
  },
  async run(input, ctx) {
    if (!ctx.metrics) return { text: 'Log drain metrics are not wired in this build of the bot.' };
    const env =
      input.env === null ? (ctx.environments.find((e) => e.production) ?? ctx.environments[0]) : ctx.env(input.env);
    if (!env)
      return {
        text: `No environment called "${input.env}"; try one of: ${ctx.environments.map((e) => e.name).join(', ')}.`,
      };
    const now = ctx.clock.now();
    const until = Math.floor(now / 60_000) * 60_000 + 60_000;
    const r = await ctx.metrics.report(env.name, now - input.sinceMs, until);
    const window = `last ${formatDuration(input.sinceMs)}`;
    if (r.totals.minutes === 0) {
      const how = r.noDataHint
        ? r.noDataHint
        : r.drainConfigured
          ? `The drain is configured, but nothing arrived: check \`heroku drains -a ${env.herokuApp}\`.`
          : `Add the drain: set LOGDRAIN_PASSWORD_${env.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')} on the bot, then \`heroku drains:add https://${env.name}:<password>@<bot host>/hooks/logdrain -a ${env.herokuApp}\` (docs/ALERTS.md).`;
      return { text: `No log drain data for ${env.name} in the ${window}. ${how}` };
    }
    const t = r.totals;
    const head = `Log drain metrics for ${env.name}, ${window}: ${t.requests} requests, 5xx ${pct(t.errorRatio)}, p50 ${msText(t.p50)}, p95 ${msText(t.p95)}, p99 ${msText(t.p99)}`;
    const peak = (vals: (number | null)[]) => Math.max(...vals.filter((v): v is number => v !== null));
    const p95 = series(r.points, (p) => p.p95);
    const err = series(r.points, (p) => p.errorRatio);
    const mem = series(r.points, (p) => p.memoryRatio);
    const lines = [
      `p95     ${sparkline(p95)}  max ${p95.some((v) => v !== null) ? msText(peak(p95)) : '–'}`,
      `5xx     ${sparkline(err)}  max ${err.some((v) => v !== null) ? pct(peak(err)) : '–'}`,
      `memory  ${sparkline(mem)}  max ${mem.some((v) => v !== null) ? `${pct(peak(mem), 0)} of quota` : '–'}`,
    ];
    const codes = Object.entries(t.codes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([c, n]) => `${c} ×${n}`);
    const facts = [
      `401s on /api/autorisen/ ${t.auth401Inside} (elsewhere ${t.auth401Outside})`,
      `403s ${t.auth403Inside} (elsewhere ${t.auth403Outside})`,
      codes.length ? codes.join(', ') : 'no H/R error codes',
      ...(t.loadMax !== null ? [`load max ${t.loadMax.toFixed(2)}`] : []),
    ].join(' · ');
    const changes = r.changes.length
      ? `Changes: ${r.changes.map((c) => `${formatTime(c.at, now)} ${c.label}`).join('; ')}`
      : 'No deploy, rollback or flag change in this window.';
    const comparisons = r.comparisons.map((c) => `Before/after: ${c}`);
    const text = [head, '```', ...lines, '```', facts, changes, ...comparisons].join('\n');
    const blocks: MessageBlock[] = [{ type: 'section', text: `*${head}*` }];
    if (r.chartUrl)
      blocks.push({
        type: 'image',
        url: r.chartUrl,
        alt: `${env.name}: p95 latency, 5xx and memory per minute, ${window}${r.changes.length ? `, ${r.changes.length} change(s) marked` : ''}`,
      });
    blocks.push({ type: 'section', text: ['```', ...lines, '```'].join('\n') });
    blocks.push({ type: 'context', text: facts });
    blocks.push({ type: 'section', text: [changes, ...comparisons].join('\n') });
    return { text, blocks };
  },
};

function formatDuration(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${Math.round(ms / 60_000)} min`;
}
