import type { DiffReport } from '../spec-diff.ts';

/** A cached diff result and when it was computed. */
export interface CachedDiff {
  report: DiffReport;
  /** ms since epoch. */
  createdAt: number;
}

/**
 * Results of `/autorisen diff`, keyed by both documents' content hashes + namespace + engine version,
 * so the same pair is compared once. Bounded by age, entry count and entry size (see the adapter).
 */
export interface DiffCacheStore {
  /** The entry for `key` if it is younger than the age bound at `now`; marks it recently used. */
  get(key: string, now: number): Promise<CachedDiff | null>;
  /** Store (or replace) `key`; false when the report is too large to cache. Evicts old/excess entries. */
  put(key: string, report: DiffReport, now: number): Promise<boolean>;
}
