import type { ChangeMark, WindowStats } from '../core/drain/stats.ts';

/** One minute of a metrics series (null = no data that minute). */
export interface MetricsPoint {
  minute: number;
  requests: number;
  p95: number | null;
  errorRatio: number | null;
  memoryRatio: number | null;
}

/** What `/autorisen metrics` shows for one environment over a window. */
export interface MetricsReport {
  env: string;
  since: number;
  until: number;
  /** One point per minute of the window, oldest first. */
  points: MetricsPoint[];
  totals: WindowStats;
  changes: ChangeMark[];
  /** Before/after sentences for the changes in the window, newest first. */
  comparisons: string[];
  /** Chart image URL (PUBLIC_URL set), else null. */
  chartUrl: string | null;
  /** Whether the environment's drain is set up (a password configured). */
  drainConfigured: boolean;
  /** What to do when there is no data, where the transport has its own way (the shell: `/drain-replay`); null = add a real drain. */
  noDataHint: string | null;
}

/** Log drain metrics, as commands see them (issue 12). */
export interface MetricsPort {
  report(env: string, since: number, until: number): Promise<MetricsReport>;
}
