import type { Alert, ChangeEvent } from '../../core/alerts/alerts.ts';
import type { AlertStore, RoutedAlert } from '../../ports/stores/alerts.ts';
import { recordOccurrence } from './alert-activity-store.ts';
import type { Db } from './db.ts';
import { toJson } from './rows.ts';
import { withTxRetry } from './tx-retry.ts';

type Batch = Parameters<AlertStore['acceptBatch']>[0];

/** Accept webhook deliveries in one transaction: dedup each, then count its alerts, notices and changes. */
export async function acceptAlertBatch(db: Db, items: Batch): ReturnType<AlertStore['acceptBatch']> {
  // Rows are taken in one order by every transaction (deliveries by dedup key, then groups by
  // fingerprint, notices and changes by key), so two batches sharing issues cannot deadlock
  // each other; the worker's multi-row updates still can, hence the retry (issue 9 item 5).
  const order = items.map((_, i) => i).sort((a, b) => cmp(items[a]!.delivery.dedupKey, items[b]!.delivery.dedupKey));
  return withTxRetry(() =>
    db.transaction(async (tx) => {
      const out: { duplicate: boolean }[] = items.map(() => ({ duplicate: true }));
      const fresh: typeof items = [];
      for (const i of order) {
        const d = items[i]!.delivery;
        const { changes: inserted } = await tx.run(
          `INSERT INTO alert_deliveries (id, source, dedup_key, resource, received_at, body, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (dedup_key) DO NOTHING`,
          [d.id, d.source, d.dedupKey, d.resource, d.receivedAt, d.body, d.outcome],
        );
        out[i] = { duplicate: inserted === 0 };
        if (inserted > 0) fresh.push(items[i]!);
      }
      // Arrival order within one fingerprint is kept (a firing then its resolution): the sort is stable.
      const arrived = items.filter((it) => fresh.includes(it));
      const alerts = arrived.flatMap((it) => it.alerts.map((a) => ({ a, at: it.delivery.receivedAt })));
      alerts.sort((x, y) => cmp(x.a.alert.fingerprint, y.a.alert.fingerprint));
      for (const { a, at } of alerts) await upsertGroup(tx, a, at);
      const notices = arrived.flatMap((it) => it.notices.map((n) => ({ n, at: it.delivery.receivedAt })));
      notices.sort((x, y) => cmp(x.n.key, y.n.key));
      for (const { n, at } of notices) {
        await tx.run(
          'INSERT INTO alert_notices (notice_key, channel, env, text, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (notice_key) DO NOTHING',
          [n.key, n.channel, n.env, n.text, at],
        );
      }
      const changes = arrived.flatMap((it) => it.changes).sort((x, y) => cmp(changeKey(x), changeKey(y)));
      for (const c of changes) await insertChange(tx, c);
      return out;
    }),
  );
}

/** Firing: count it (re-opening a resolved group clears its acknowledgement). Resolved: once. */
async function upsertGroup(tx: Db, { alert, channel }: RoutedAlert, now: number): Promise<void> {
  const a: Alert = alert;
  const base = [a.fingerprint, channel, a.source, a.env, a.severity, a.title, toJson(a)];
  if (a.status === 'firing') {
    await tx.run(
      `INSERT INTO alert_groups (fingerprint, channel, source, env, severity, title, alert_json, status, count, first_seen, last_seen, version, synced_version, synced_count, dirty)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'firing', 1, ?, ?, 1, 0, 0, 1)
       ON CONFLICT (fingerprint) DO UPDATE SET count = alert_groups.count + 1, last_seen = excluded.last_seen, status = 'firing',
         acked_by = CASE WHEN alert_groups.status = 'resolved' THEN NULL ELSE alert_groups.acked_by END,
         acked_at = CASE WHEN alert_groups.status = 'resolved' THEN NULL ELSE alert_groups.acked_at END,
         resolved_at = NULL, resolved_by = NULL, title = excluded.title, severity = excluded.severity, alert_json = excluded.alert_json,
         version = alert_groups.version + 1, dirty = 1`,
      [...base, now, now],
    );
    await recordOccurrence(tx, a.fingerprint, now);
    return;
  }
  await tx.run(
    `INSERT INTO alert_groups (fingerprint, channel, source, env, severity, title, alert_json, status, count, first_seen, last_seen, resolved_at, resolved_by, version, synced_version, synced_count, dirty)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'resolved', 0, ?, ?, ?, ?, 1, 0, 0, 1)
     ON CONFLICT (fingerprint) DO UPDATE SET status = 'resolved',
       resolved_at = CASE WHEN alert_groups.status = 'resolved' THEN alert_groups.resolved_at ELSE excluded.resolved_at END,
       resolved_by = CASE WHEN alert_groups.status = 'resolved' THEN alert_groups.resolved_by ELSE excluded.resolved_by END,
       version = alert_groups.version + (CASE WHEN alert_groups.status = 'resolved' THEN 0 ELSE 1 END),
       dirty = CASE WHEN alert_groups.status = 'resolved' THEN alert_groups.dirty ELSE 1 END`,
    [...base, now, now, now, a.resolvedBy],
  );
}

function changeKey(c: ChangeEvent): string {
  return `${c.env}:${c.kind}:${c.version ?? c.at}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function insertChange(tx: Db, c: ChangeEvent): Promise<void> {
  const key = changeKey(c);
  await tx.run(
    'INSERT INTO alert_changes (change_key, env, kind, at, version, commit_sha, actor, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (change_key) DO NOTHING',
    [key, c.env, c.kind, c.at, c.version, c.commit, c.actor, c.description],
  );
}
