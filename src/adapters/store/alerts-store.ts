import type { ChangeEvent } from '../../core/alerts/alerts.ts';
import type { AlertStore } from '../../ports/stores/alerts.ts';
import type { Db } from './db.ts';
import { acceptAlertBatch } from './alerts-accept.ts';
import { abandonAlertChannel, forgetAlertMessage } from './alerts-gone.ts';
import { pruneAlertRows } from './alerts-prune.ts';
import { digestFrom, groupFrom, inChunks } from './alerts-rows.ts';
import { col } from './rows.ts';

/**
 * Alerts on the shared SQL surface (migration 030). Counting is done by the database
 * (`count = count + 1` in one upsert), so concurrent deliveries and instances never lose a repeat.
 */
export function createAlertStore(db: Db): AlertStore {
  const store: AlertStore = {
    async accept(delivery, alerts, notices, changes) {
      return (await store.acceptBatch([{ delivery, alerts, notices, changes }]))[0]!;
    },

    acceptBatch: (items) => acceptAlertBatch(db, items),

    async getGroup(fingerprint) {
      const rows = await db.query('SELECT * FROM alert_groups WHERE fingerprint = ?', [fingerprint]);
      return rows[0] ? groupFrom(rows[0]) : null;
    },

    async pendingGroups(now, limit) {
      const rows = await db.query(
        `SELECT * FROM alert_groups WHERE dirty = 1 AND digest_id IS NULL
           AND (silenced_until IS NULL OR silenced_until <= ? OR shown_silence IS NULL OR shown_silence <> silenced_until
             OR shown_status IS NULL OR shown_status <> status OR COALESCE(shown_acked_by, '') <> COALESCE(acked_by, ''))
         ORDER BY first_seen, fingerprint LIMIT ?`,
        [now, limit],
      );
      return rows.map(groupFrom);
    },

    async pendingNotices(limit) {
      const rows = await db.query(
        'SELECT * FROM alert_notices WHERE posted_at IS NULL AND channel IS NOT NULL ORDER BY created_at, notice_key LIMIT ?',
        [limit],
      );
      return rows.map((r) => ({
        key: col.str(r, 'notice_key'),
        channel: col.str(r, 'channel'),
        env: col.strOrNull(r, 'env'),
        text: col.str(r, 'text'),
        createdAt: col.num(r, 'created_at'),
      }));
    },

    async pendingDigests(limit) {
      const rows = await db.query(
        `SELECT * FROM alert_digests WHERE message_ts IS NULL OR version > synced_version
           OR id IN (SELECT digest_id FROM alert_groups WHERE dirty = 1 AND digest_id IS NOT NULL)
         ORDER BY created_at LIMIT ?`,
        [limit],
      );
      return rows.map(digestFrom);
    },

    async claimPost(kind, id, now, until) {
      const sql = {
        group:
          'UPDATE alert_groups SET claim_until = ? WHERE fingerprint = ? AND (claim_until IS NULL OR claim_until < ?)',
        notice:
          'UPDATE alert_notices SET claim_until = ? WHERE notice_key = ? AND posted_at IS NULL AND (claim_until IS NULL OR claim_until < ?)',
        digest: 'UPDATE alert_digests SET claim_until = ? WHERE id = ? AND (claim_until IS NULL OR claim_until < ?)',
      }[kind];
      return (await db.run(sql, [until, id, now])).changes === 1;
    },

    async releasePost(kind, id) {
      const table = {
        group: 'alert_groups WHERE fingerprint',
        notice: 'alert_notices WHERE notice_key',
        digest: 'alert_digests WHERE id',
      }[kind];
      const [name, where] = table.split(' WHERE ');
      await db.run(`UPDATE ${name} SET claim_until = NULL WHERE ${where} = ?`, [id]);
    },

    async markGroupSynced(fingerprint, s) {
      const { changes } = await db.run(
        `UPDATE alert_groups SET synced_version = ?, synced_count = ?, shown_silence = ?, shown_status = ?, shown_acked_by = ?,
           message_ts = COALESCE(message_ts, ?), context = COALESCE(context, ?), claim_until = NULL,
           dirty = CASE WHEN version > ? THEN 1 ELSE 0 END
         WHERE fingerprint = ? AND synced_version < ?`,
        [
          s.version,
          s.count,
          s.shownSilence,
          s.status ?? null,
          s.ackedBy ?? null,
          s.messageTs ?? null,
          s.context ?? null,
          s.version,
          fingerprint,
          s.version,
        ],
      );
      return changes === 1;
    },

    async markNoticePosted(key, ts, at) {
      await db.run('UPDATE alert_notices SET posted_ts = ?, posted_at = ?, claim_until = NULL WHERE notice_key = ?', [
        ts,
        at,
        key,
      ]);
    },

    async openDigest(channel, since) {
      const rows = await db.query(
        'SELECT * FROM alert_digests WHERE channel = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1',
        [channel, since],
      );
      return rows[0] ? digestFrom(rows[0]) : null;
    },

    async addToDigest(digest, fingerprints) {
      return db.transaction(async (tx) => {
        await tx.run(
          'INSERT INTO alert_digests (id, channel, created_at, version, synced_version) VALUES (?, ?, ?, 0, 0) ON CONFLICT (id) DO NOTHING',
          [digest.id, digest.channel, digest.createdAt],
        );
        let moved = 0;
        for (const chunk of inChunks(fingerprints)) {
          const marks = chunk.map(() => '?').join(', ');
          const r = await tx.run(
            `UPDATE alert_groups SET digest_id = ?, synced_version = version, synced_count = count, shown_silence = silenced_until, shown_status = status, shown_acked_by = acked_by, dirty = 0, claim_until = NULL
             WHERE fingerprint IN (${marks}) AND message_ts IS NULL AND digest_id IS NULL`,
            [digest.id, ...chunk],
          );
          moved += r.changes;
        }
        if (moved > 0) await tx.run('UPDATE alert_digests SET version = version + 1 WHERE id = ?', [digest.id]);
        return moved;
      });
    },

    async digestSummary(digestId, top) {
      const [totals] = await db.query(
        `SELECT CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(count), 0) AS BIGINT) AS events,
           CAST(COALESCE(SUM(CASE WHEN status = 'firing' THEN 1 ELSE 0 END), 0) AS BIGINT) AS firing
         FROM alert_groups WHERE digest_id = ?`,
        [digestId],
      );
      const rows = await db.query(
        'SELECT * FROM alert_groups WHERE digest_id = ? ORDER BY count DESC, first_seen LIMIT ?',
        [digestId, top],
      );
      return {
        top: rows.map(groupFrom),
        groups: col.num(totals!, 'n'),
        events: col.num(totals!, 'events'),
        firing: col.num(totals!, 'firing'),
      };
    },

    async touchDigest(digestId) {
      return db.transaction(async (tx) => {
        // One statement for the whole digest: each row takes its own current version and count, so
        // a repeat committed a moment later leaves its row dirty again rather than being lost.
        const { changes } = await tx.run(
          `UPDATE alert_groups SET synced_version = version, synced_count = count, shown_silence = silenced_until, shown_status = status, shown_acked_by = acked_by, dirty = 0, claim_until = NULL
           WHERE digest_id = ? AND dirty = 1`,
          [digestId],
        );
        if (changes === 0) return null;
        await tx.run('UPDATE alert_digests SET version = version + 1 WHERE id = ?', [digestId]);
        const [row] = await tx.query('SELECT version FROM alert_digests WHERE id = ?', [digestId]);
        return row ? col.num(row, 'version') : null;
      });
    },

    async markDigestSynced(id, version, messageTs) {
      const { changes } = await db.run(
        'UPDATE alert_digests SET synced_version = ?, message_ts = COALESCE(message_ts, ?), claim_until = NULL WHERE id = ? AND (synced_version < ? OR message_ts IS NULL)',
        [version, messageTs ?? null, id, version],
      );
      return changes === 1;
    },

    async acknowledge(fingerprint, by, at) {
      await db.run(
        'UPDATE alert_groups SET acked_by = ?, acked_at = ?, version = version + 1, dirty = 1 WHERE fingerprint = ? AND acked_by IS NULL',
        [by, at, fingerprint],
      );
      return store.getGroup(fingerprint);
    },

    async silence(s) {
      await db.transaction(async (tx) => {
        await tx.run(
          'INSERT INTO alert_silences (id, fingerprint, until_at, created_by, created_at) VALUES (?, ?, ?, ?, ?)',
          [s.id, s.fingerprint, s.until, s.by, s.at],
        );
        await tx.run(
          'UPDATE alert_groups SET silenced_until = ?, silenced_by = ?, version = version + 1, dirty = 1 WHERE fingerprint = ?',
          [s.until, s.by, s.fingerprint],
        );
      });
      return store.getGroup(s.fingerprint);
    },

    async listOpen(env, limit) {
      const rows =
        env === null
          ? await db.query(
              "SELECT * FROM alert_groups WHERE status = 'firing' AND acked_by IS NULL ORDER BY last_seen DESC LIMIT ?",
              [limit],
            )
          : await db.query(
              "SELECT * FROM alert_groups WHERE status = 'firing' AND acked_by IS NULL AND env = ? ORDER BY last_seen DESC LIMIT ?",
              [env, limit],
            );
      return rows.map(groupFrom);
    },

    async changesSince(env, since) {
      const rows = await db.query('SELECT * FROM alert_changes WHERE env = ? AND at >= ? ORDER BY at DESC', [
        env,
        since,
      ]);
      return rows.map((r) => ({
        env: col.str(r, 'env'),
        kind: col.str(r, 'kind') as ChangeEvent['kind'],
        at: col.num(r, 'at'),
        version: col.numOrNull(r, 'version'),
        commit: col.strOrNull(r, 'commit_sha'),
        actor: col.strOrNull(r, 'actor'),
        description: col.str(r, 'description'),
      }));
    },

    async leaseChannel(channel, owner, now, until) {
      const { changes } = await db.run(
        `INSERT INTO alert_leases (channel, owner, until_at) VALUES (?, ?, ?)
         ON CONFLICT (channel) DO UPDATE SET owner = excluded.owner, until_at = excluded.until_at
         WHERE alert_leases.until_at < ? OR alert_leases.owner = excluded.owner`,
        [channel, owner, until, now],
      );
      return changes === 1;
    },

    async releaseChannel(channel, owner) {
      await db.run('DELETE FROM alert_leases WHERE channel = ? AND owner = ?', [channel, owner]);
    },

    forgetMessage(kind, id, ts) {
      return forgetAlertMessage(db, kind, id, ts);
    },

    abandonChannel(channel, now) {
      return abandonAlertChannel(db, channel, now);
    },

    prune(cutoff, now, limit) {
      return pruneAlertRows(db, cutoff, now, limit);
    },

    async stats() {
      const one = async (sql: string) => col.num((await db.query(sql))[0]!, 'n');
      return {
        deliveries: await one('SELECT COUNT(*) AS n FROM alert_deliveries'),
        groups: await one('SELECT COUNT(*) AS n FROM alert_groups'),
        events: await one('SELECT COALESCE(CAST(SUM(count) AS BIGINT), 0) AS n FROM alert_groups'),
        pendingGroups: await one('SELECT COUNT(*) AS n FROM alert_groups WHERE dirty = 1'),
        pendingNotices: await one(
          'SELECT COUNT(*) AS n FROM alert_notices WHERE posted_at IS NULL AND channel IS NOT NULL',
        ),
        pendingDigests: await one(
          'SELECT COUNT(*) AS n FROM alert_digests WHERE message_ts IS NULL OR version > synced_version',
        ),
      };
    },
  };
  return store;
}
