import { createHmac } from 'node:crypto';
import type { BacktestReport } from '../../ports/guard.ts';
import { safeEqualText } from '../metrics-token-compare.ts';

/**
 * The backtest's chart (issue 21 §7, "a table and a chart"): false trips per day over change-free
 * time, one bar a day, served as a PNG at a signed name so Slack can fetch it without credentials.
 */

/** Where backtest charts are served: `${GUARD_BACKTEST_CHART_PATH}<env>.<from>.<to>.<sig>.png`. */
export const GUARD_BACKTEST_CHART_PATH = '/charts/guard-backtest/';

const MINUTE = 60_000;
/** Longest period a chart names: `--since` allows 30 days; a day of slack for rounding. */
const MAX_BACKTEST_CHART_MS = 31 * 86_400_000;

function sign(key: Buffer, env: string, from: number, to: number): string {
  return createHmac('sha256', key).update(`guard-backtest|${env}|${from}|${to}`).digest('hex').slice(0, 32);
}

/** The unguessable file name of a backtest chart: only the bot can make one, for exactly this period. */
export function backtestChartFile(key: Buffer, env: string, since: number, until: number): string {
  const from = Math.floor(since / MINUTE);
  const to = Math.ceil(until / MINUTE);
  return `${encodeURIComponent(env)}.${from}.${to}.${sign(key, env, from, to)}.png`;
}

/** The env and period a chart file names, or null when it is malformed or not signed by us. */
export function readBacktestChartFile(key: Buffer, file: string): { env: string; since: number; until: number } | null {
  const m = /^([A-Za-z0-9_%-]{1,60})\.(\d{1,9})\.(\d{1,9})\.([0-9a-f]{32})\.png$/.exec(file);
  if (!m) return null;
  let env: string;
  try {
    env = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  const from = Number(m[2]);
  const to = Number(m[3]);
  if (to <= from || (to - from) * MINUTE > MAX_BACKTEST_CHART_MS) return null;
  if (!safeEqualText(sign(key, env, from, to), m[4]!)) return null;
  return { env, since: from * MINUTE, until: to * MINUTE };
}

/** The bars: false trips per day, oldest first (the last bar, today, in the accent colour). */
export function backtestChartValues(r: Pick<BacktestReport, 'tripsPerDay'>): number[] {
  return r.tripsPerDay.map((d) => d.trips);
}
