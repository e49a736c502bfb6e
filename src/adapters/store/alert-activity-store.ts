import { minuteOf } from '../../core/alerts/activity.ts';
import type { AlertActivityStore } from '../../ports/stores/alert-activity.ts';
import type { Db } from './db.ts';
import { col } from './rows.ts';

/** Alert activity on the shared SQL surface (migration 031). */
export function createAlertActivityStore(db: Db): AlertActivityStore {
  return {
    async occurrences(fingerprint, since) {
      const rows = await db.query(
        'SELECT minute, count FROM alert_occurrences WHERE fingerprint = ? AND minute >= ? ORDER BY minute',
        [fingerprint, minuteOf(since)],
      );
      return rows.map((r) => ({ minute: col.num(r, 'minute'), count: col.num(r, 'count') }));
    },

    async linkChart(token, fingerprint, at) {
      await db.run(
        'INSERT INTO alert_chart_links (token, fingerprint, created_at) VALUES (?, ?, ?) ON CONFLICT (token) DO NOTHING',
        [token, fingerprint, at],
      );
    },

    async chartFingerprint(token) {
      const [row] = await db.query('SELECT fingerprint FROM alert_chart_links WHERE token = ?', [token]);
      return row ? col.str(row, 'fingerprint') : null;
    },
  };
}

/**
 * Count one occurrence of `fingerprint` at `at`, inside the intake's transaction. The database
 * does the counting (`count + 1` in one upsert), like alert_groups.count, so concurrent
 * deliveries and instances never lose one.
 */
export async function recordOccurrence(tx: Db, fingerprint: string, at: number): Promise<void> {
  await tx.run(
    'INSERT INTO alert_occurrences (fingerprint, minute, count) VALUES (?, ?, 1) ON CONFLICT (fingerprint, minute) DO UPDATE SET count = alert_occurrences.count + 1',
    [fingerprint, minuteOf(at)],
  );
}
