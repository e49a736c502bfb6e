import type { DedupStore } from '../../ports/stores/dedup.ts';
import type { Db } from './db.ts';

/** Delete expired keys at most this often (per instance); they are reclaimable anyway, this only bounds the table. */
export const DEDUP_PRUNE_INTERVAL_MS = 10 * 60_000;

/** Exactly-once keys on the shared SQL surface. */
export function createDedupStore(db: Db): DedupStore {
  let lastPrune = -Infinity;
  return {
    async claim(key, now, ttlMs) {
      if (now - lastPrune >= DEDUP_PRUNE_INTERVAL_MS) {
        lastPrune = now;
        await db.run('DELETE FROM dedup_keys WHERE expires_at <= ?', [now]);
      }
      // One atomic statement: a new key is inserted; a seen key is taken over only once it has
      // expired. Racing claims of one key therefore change exactly one row between them.
      const { changes } = await db.run(
        `INSERT INTO dedup_keys (dedup_key, claimed_at, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (dedup_key) DO UPDATE SET claimed_at = excluded.claimed_at, expires_at = excluded.expires_at
         WHERE dedup_keys.expires_at <= excluded.claimed_at`,
        [key, now, now + ttlMs],
      );
      return changes === 1;
    },
  };
}
