import type { GuardMetric, GuardVerdict } from '../core/guard/guard-types.ts';
import type { GuardRecord } from './stores/guards.ts';

/** What `/autorisen guard` and Home read and do about guards (issue 21). */

/** An active guard with what it watches and its settings. */
export interface GuardView {
  guard: GuardRecord;
  metrics: readonly GuardMetric[];
  windowMinutes: number;
  /** The verdict of a look taken now (not stored), null when the environment is no longer guarded. */
  now: GuardVerdict | null;
}

/** One past change replayed through the detector. */
export interface BacktestChange {
  at: number;
  label: string;
  /** Minutes after the change when it would have tripped, and on what; null when it would not have. */
  trippedAfterMin: number | null;
  metric: GuardMetric | null;
  /** 'insufficient' when the drain had too little traffic around it to judge. */
  verdict: 'tripped' | 'ok' | 'insufficient';
}

export interface BacktestReport {
  env: string;
  since: number;
  until: number;
  changes: BacktestChange[];
  /** Change-free windows replayed as if a change had happened at their start. */
  quietWindows: number;
  quietTrips: number;
  /** Days covered by those windows (for trips per day). */
  quietDays: number;
  /** Per day (oldest first): false trips over change-free windows. */
  tripsPerDay: { day: number; trips: number; windows: number }[];
  /** The signed PNG of false trips per day, when PUBLIC_URL is set; else null (a text sparkline). */
  chartUrl: string | null;
}

export interface GuardPort {
  active(env?: string): Promise<GuardView[]>;
  /** End `env`'s active guards early; how many were stopped. */
  stop(env: string, by: string): Promise<number>;
  /** Replay `since` until `until` (default now). */
  backtest(env: string, since: number, until?: number): Promise<BacktestReport>;
  /** Whether guards are on for `env`. */
  enabled(env: string): boolean;
}
