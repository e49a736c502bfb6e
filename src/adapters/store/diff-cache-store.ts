import type { DiffReport } from '../../ports/spec-diff.ts';
import type { CachedDiff, DiffCacheStore } from '../../ports/stores/diff-cache.ts';
import type { Db } from './db.ts';
import { col } from './rows.ts';

/** The cache's bounds; defaults suit a bot that diffs a handful of spec pairs a day. */
export interface DiffCacheBounds {
  /** Entries older than this are neither returned nor kept (default 7 days). */
  maxAgeMs: number;
  /** Most entries kept; the least recently used go first (default 200). */
  maxEntries: number;
  /** A report larger than this (JSON bytes) is not cached (default 4 MiB: a diff of two Stripe versions is ~3 MB). */
  maxEntryBytes: number;
  /** Total JSON bytes kept across entries (default 64 MiB), least recently used evicted first. */
  maxTotalBytes: number;
}

export const DEFAULT_DIFF_CACHE_BOUNDS: DiffCacheBounds = {
  maxAgeMs: 7 * 24 * 3600_000,
  maxEntries: 200,
  maxEntryBytes: 4 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};

/** Diff results on the shared SQL surface (SQLite and PostgreSQL). */
export function createDiffCacheStore(db: Db, bounds: Partial<DiffCacheBounds> = {}): DiffCacheStore {
  const b = { ...DEFAULT_DIFF_CACHE_BOUNDS, ...bounds };
  return {
    async get(key, now): Promise<CachedDiff | null> {
      const rows = await db.query('SELECT report, created_at FROM diff_cache WHERE cache_key = ? AND created_at > ?', [
        key,
        now - b.maxAgeMs,
      ]);
      const row = rows[0];
      if (!row) return null;
      const report = col.json(row, 'report');
      // Written by us, but a row from an older shape must never crash the command: treat it as a miss.
      if (!isReport(report)) return null;
      await db.run('UPDATE diff_cache SET used_at = ? WHERE cache_key = ?', [now, key]);
      return { report, createdAt: col.num(row, 'created_at') };
    },

    async put(key, report, now) {
      const text = JSON.stringify(report);
      const bytes = Buffer.byteLength(text);
      if (bytes > b.maxEntryBytes) return false;
      await db.run(
        `INSERT INTO diff_cache (cache_key, report, bytes, created_at, used_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (cache_key) DO UPDATE SET report = excluded.report, bytes = excluded.bytes, created_at = excluded.created_at, used_at = excluded.used_at`,
        [key, text, bytes, now, now],
      );
      await evict(db, b, now);
      return true;
    },
  };
}

/** Drop expired entries, then the least recently used beyond the count and byte bounds. */
async function evict(db: Db, b: DiffCacheBounds, now: number): Promise<void> {
  await db.run('DELETE FROM diff_cache WHERE created_at <= ?', [now - b.maxAgeMs]);
  const rows = await db.query(
    'SELECT cache_key, bytes FROM diff_cache ORDER BY used_at DESC, created_at DESC, cache_key',
  );
  const drop: string[] = [];
  let kept = 0;
  let total = 0;
  for (const r of rows) {
    const size = col.num(r, 'bytes');
    if (kept < b.maxEntries && total + size <= b.maxTotalBytes) {
      kept++;
      total += size;
    } else drop.push(col.str(r, 'cache_key'));
  }
  // Small batches keep the statement within both drivers' parameter limits.
  for (let i = 0; i < drop.length; i += 100) {
    const batch = drop.slice(i, i + 100);
    await db.run(`DELETE FROM diff_cache WHERE cache_key IN (${batch.map(() => '?').join(', ')})`, batch);
  }
}

function isReport(v: unknown): v is DiffReport {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { summary?: unknown; changes?: unknown };
  return typeof r.summary === 'object' && r.summary !== null && Array.isArray(r.changes);
}
