import type { Alert, AlertSource, AlertStatus, Severity } from '../../core/alerts/alerts.ts';
import type { AlertGroup, DigestRecord } from '../../ports/stores/alerts.ts';
import { col, type Row } from './rows.ts';

/** Row → AlertGroup (alert_groups, migration 030). */
export function groupFrom(r: Row): AlertGroup {
  return {
    fingerprint: col.str(r, 'fingerprint'),
    channel: col.strOrNull(r, 'channel'),
    source: col.str(r, 'source') as AlertSource,
    env: col.strOrNull(r, 'env'),
    severity: col.str(r, 'severity') as Severity,
    title: col.str(r, 'title'),
    alert: col.json(r, 'alert_json') as Alert,
    status: col.str(r, 'status') as AlertStatus,
    count: col.num(r, 'count'),
    firstSeen: col.num(r, 'first_seen'),
    lastSeen: col.num(r, 'last_seen'),
    resolvedAt: col.numOrNull(r, 'resolved_at'),
    resolvedBy: col.strOrNull(r, 'resolved_by'),
    ackedBy: col.strOrNull(r, 'acked_by'),
    ackedAt: col.numOrNull(r, 'acked_at'),
    silencedUntil: col.numOrNull(r, 'silenced_until'),
    silencedBy: col.strOrNull(r, 'silenced_by'),
    context: col.strOrNull(r, 'context'),
    messageTs: col.strOrNull(r, 'message_ts'),
    digestId: col.strOrNull(r, 'digest_id'),
    version: col.num(r, 'version'),
    syncedVersion: col.num(r, 'synced_version'),
    syncedCount: col.num(r, 'synced_count'),
    shownSilence: col.numOrNull(r, 'shown_silence'),
  };
}

/** Row → DigestRecord (alert_digests). */
export function digestFrom(r: Row): DigestRecord {
  return {
    id: col.str(r, 'id'),
    channel: col.str(r, 'channel'),
    createdAt: col.num(r, 'created_at'),
    messageTs: col.strOrNull(r, 'message_ts'),
    version: col.num(r, 'version'),
    syncedVersion: col.num(r, 'synced_version'),
  };
}

/** Split long IN (…) lists; SQLite and PostgreSQL both cap bound parameters. */
export function inChunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
