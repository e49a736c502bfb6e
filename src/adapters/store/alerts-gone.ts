import type { AbandonCounts } from '../../ports/stores/alerts.ts';
import type { Db } from './db.ts';

/**
 * What the store does when Slack says a message or a channel is gone for good (see
 * services/alerts/slack-failures.ts). Both are compare-and-set or set-based, so two workers
 * hitting the same failure do the work once.
 */

/** Forget a deleted (or no longer editable) message, CAS on its ts: the next pass posts a fresh one. */
export async function forgetAlertMessage(db: Db, kind: 'group' | 'digest', id: string, ts: string): Promise<boolean> {
  const sql =
    kind === 'group'
      ? // synced_count = 0: the fresh message shows the full count, and no "seen N more times" reply is owed.
        'UPDATE alert_groups SET message_ts = NULL, synced_count = 0, version = version + 1, dirty = 1, claim_until = NULL WHERE fingerprint = ? AND message_ts = ?'
      : 'UPDATE alert_digests SET message_ts = NULL, claim_until = NULL WHERE id = ? AND message_ts = ?';
  return (await db.run(sql, [id, ts])).changes === 1;
}

/**
 * Give up on everything pending for a channel Slack says we cannot post to: groups and posted
 * digests are marked shown, notices posted (with no ts), and digests never posted are dropped with
 * their groups set free (a later repeat posts them afresh, should the channel come back).
 * The alerts stay in the store and in `/autorisen alerts`.
 */
export async function abandonAlertChannel(db: Db, channel: string, now: number): Promise<AbandonCounts> {
  return db.transaction(async (tx) => {
    const unposted = 'SELECT id FROM alert_digests WHERE channel = ? AND message_ts IS NULL';
    await tx.run(`UPDATE alert_groups SET digest_id = NULL WHERE digest_id IN (${unposted})`, [channel]);
    const digests = (await tx.run('DELETE FROM alert_digests WHERE channel = ? AND message_ts IS NULL', [channel]))
      .changes;
    await tx.run('UPDATE alert_digests SET synced_version = version, claim_until = NULL WHERE channel = ?', [channel]);
    const groups = (
      await tx.run(
        'UPDATE alert_groups SET synced_version = version, synced_count = count, shown_silence = silenced_until, shown_status = status, shown_acked_by = acked_by, dirty = 0, claim_until = NULL WHERE channel = ? AND dirty = 1',
        [channel],
      )
    ).changes;
    const notices = (
      await tx.run(
        'UPDATE alert_notices SET posted_at = ?, claim_until = NULL WHERE channel = ? AND posted_at IS NULL',
        [now, channel],
      )
    ).changes;
    return { groups, notices, digests };
  });
}
