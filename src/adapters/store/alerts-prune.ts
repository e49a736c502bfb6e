import type { PruneCounts } from '../../ports/stores/alerts.ts';
import type { Db } from './db.ts';

/**
 * One bounded pruning pass over the alert tables (migration 030): at most `limit` rows per table,
 * each DELETE its own short transaction, so a backlog of millions never holds the write lock for
 * long. `DELETE … WHERE key IN (SELECT key … LIMIT ?)` is the form both SQLite and PostgreSQL take.
 *
 * Kept whatever their age: groups Slack is still behind on (dirty or claimed) and groups silenced
 * into the future, so pruning never loses Slack work or a silence; notices not yet posted.
 */
export async function pruneAlertRows(db: Db, cutoff: number, now: number, limit: number): Promise<PruneCounts> {
  const del = async (table: string, key: string, where: string, params: unknown[]) =>
    (
      await db.run(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ?)`, [
        ...params,
        limit,
      ])
    ).changes;
  const deliveries = await del('alert_deliveries', 'id', 'received_at < ?', [cutoff]);
  // Resolved and settled before the cutoff, or still "firing" but not reported since then (Sentry
  // event alerts never resolve on their own); either way nobody has heard of it for the whole window.
  const groups = await del(
    'alert_groups',
    'fingerprint',
    `last_seen < ? AND (resolved_at IS NULL OR resolved_at < ?) AND dirty = 0 AND (claim_until IS NULL OR claim_until < ?)
       AND (silenced_until IS NULL OR silenced_until < ?)`,
    [cutoff, cutoff, now, now],
  );
  const notices = await del('alert_notices', 'notice_key', 'posted_at IS NOT NULL AND posted_at < ?', [cutoff]);
  // A digest goes once none of its groups is left (its message stays in Slack; nothing points at it).
  const digests = await del(
    'alert_digests',
    'id',
    'created_at < ? AND NOT EXISTS (SELECT 1 FROM alert_groups g WHERE g.digest_id = alert_digests.id)',
    [cutoff],
  );
  const silences = await del('alert_silences', 'id', 'until_at < ?', [cutoff]);
  const changes = await del('alert_changes', 'change_key', 'at < ?', [cutoff]);
  // Activity (migration 031): minutes before the window, and chart links of alerts that are gone.
  const occurrences = await del('alert_occurrences', 'minute', 'minute < ?', [cutoff]);
  const chartLinks = await del(
    'alert_chart_links',
    'token',
    'created_at < ? AND NOT EXISTS (SELECT 1 FROM alert_groups g WHERE g.fingerprint = alert_chart_links.fingerprint)',
    [cutoff],
  );
  return { deliveries, groups, notices, digests, silences, changes, occurrences, chartLinks };
}
