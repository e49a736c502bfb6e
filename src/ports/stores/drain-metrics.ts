/**
 * Per-minute aggregates of each environment's Heroku log drain (issue 12). Raw lines are never
 * stored: only these rows, and the frame ids already counted (so a redelivered frame is not).
 */

/** Memory of one dyno in one minute. */
export interface DynoMemory {
  /** Largest `sample#memory_total` seen, MB. */
  maxMb: number;
  /** `sample#memory_quota`, MB, when the dyno reported it. */
  quotaMb: number | null;
}

/** Everything kept about one environment's minute. */
export interface DrainMinute {
  env: string;
  /** Start of the minute, ms since the epoch. */
  minute: number;
  requests: number;
  status5xx: number;
  /** Requests and 5xx under `/api/autorisen/` (issue 21: the guard's error ratio there; migration 090). */
  requestsInside: number;
  status5xxInside: number;
  /** 401/403 responses on paths inside `/api/autorisen/` and everywhere else. */
  auth401Inside: number;
  auth401Outside: number;
  auth403Inside: number;
  auth403Outside: number;
  /** Router H-codes and dyno R-codes seen, by code. */
  codes: Record<string, number>;
  /** Router latency (connect + service, ms) as an HdrHistogram in its compressed base64 form; '' when none. */
  latency: string;
  memory: Record<string, DynoMemory>;
  /** Highest `sample#load_avg_1m` of any dyno; null when none reported. */
  loadMax: number | null;
  /** Heroku Postgres: highest active connections and latest database size; null when absent. */
  pgConnections: number | null;
  pgDbBytes: number | null;
}

/** One accepted drain POST: its frame id and what it added, per minute. */
export interface DrainBatch {
  env: string;
  frameId: string;
  receivedAt: number;
  minutes: DrainMinute[];
}

/** Merges two partial aggregates of the same env and minute (histograms included). */
export type MinuteMerge = (a: DrainMinute, b: DrainMinute) => DrainMinute;

export interface DrainMetricsStore {
  /**
   * Record several POSTs in one transaction: a batch whose (env, frame id) was already recorded is
   * a duplicate and adds nothing; the others are merged into their minutes with `merge`.
   * Results in order. All or nothing.
   */
  record(batches: DrainBatch[], merge: MinuteMerge): Promise<{ duplicate: boolean }[]>;
  /** Minutes of `env` in [since, until), oldest first. */
  minutes(env: string, since: number, until: number): Promise<DrainMinute[]>;
  /** Retention: delete minutes and remembered frame ids older than `cutoff`; returns rows removed. */
  prune(cutoff: number): Promise<{ minutes: number; frames: number }>;
  /**
   * Claim a before/after follow-up for a change (compare-and-set insert): true exactly once per key,
   * so several instances (or a restart) never post it twice.
   */
  claimFollowUp(key: string, at: number): Promise<boolean>;
}
