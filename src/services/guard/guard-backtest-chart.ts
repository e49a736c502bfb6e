import type { BacktestReport } from '../../ports/guard.ts';
import { readSignedWindowFile, signedWindowFile } from '../signed-chart-file.ts';

/**
 * The backtest's chart (issue 21 §7, "a table and a chart"): false trips per day over change-free
 * time, one bar a day, served as a PNG at a signed name so Slack can fetch it without credentials.
 */

/** Where backtest charts are served: `${GUARD_BACKTEST_CHART_PATH}<env>.<from>.<to>.<sig>.png`. */
export const GUARD_BACKTEST_CHART_PATH = '/charts/guard-backtest/';

/** Longest period a chart names: `--since` allows 30 days; a day of slack for rounding. */
const MAX_BACKTEST_CHART_MS = 31 * 86_400_000;

/** The unguessable file name of a backtest chart: only the bot can make one, for exactly this period. */
export function backtestChartFile(key: Buffer, env: string, since: number, until: number): string {
  return signedWindowFile(key, 'guard-backtest', env, since, until);
}

/** The env and period a chart file names, or null when it is malformed or not signed by us. */
export function readBacktestChartFile(key: Buffer, file: string): { env: string; since: number; until: number } | null {
  return readSignedWindowFile(key, 'guard-backtest', file, MAX_BACKTEST_CHART_MS);
}

/** The bars: false trips per day, oldest first (the last bar, today, in the accent colour). */
export function backtestChartValues(r: Pick<BacktestReport, 'tripsPerDay'>): number[] {
  return r.tripsPerDay.map((d) => d.trips);
}
