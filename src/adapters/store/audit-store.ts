export { insertAudit } from './audit-batch.ts';
import type { AuditEntry, AuditStore } from '../../ports/stores/audit.ts';
import { AUDIT_COLUMNS, AuditBatch } from './audit-batch.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

/** Largest page `latest` returns, whatever is asked: the audit command shows a handful. */
export const AUDIT_MAX_LIMIT = 500;

/** The audit log on the shared SQL surface. */
export function createAuditStore(db: Db): AuditStore & { flush(): Promise<void> } {
  const batch = new AuditBatch(db);
  return {
    append: (entry) => batch.append(entry),
    flush: () => batch.flush(),
    async latest({ limit, actorId }) {
      const n = Math.max(1, Math.min(AUDIT_MAX_LIMIT, Math.floor(limit)));
      const rows =
        actorId === undefined
          ? await db.query(`SELECT ${AUDIT_COLUMNS} FROM audit_log ORDER BY at DESC, id DESC LIMIT ?`, [n])
          : await db.query(
              `SELECT ${AUDIT_COLUMNS} FROM audit_log WHERE actor_id = ? ORDER BY at DESC, id DESC LIMIT ?`,
              [actorId, n],
            );
      return rows.map(toAuditEntry);
    },
  };
}

function toAuditEntry(r: Row): AuditEntry {
  return {
    at: col.num(r, 'at'),
    correlationId: col.str(r, 'correlation_id'),
    actorId: col.str(r, 'actor_id'),
    channelId: col.strOrNull(r, 'channel_id'),
    command: col.str(r, 'command'),
    args: col.str(r, 'args'),
    action: col.str(r, 'action'),
    result: col.str(r, 'result'),
    detail: col.strOrNull(r, 'detail'),
    durationMs: col.numOrNull(r, 'duration_ms'),
    env: col.strOrNull(r, 'env'),
  };
}
