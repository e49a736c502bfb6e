import type { AuditEntry, AuditStore } from '../../ports/stores/audit.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

/** Largest page `latest` returns, whatever is asked: the audit command shows a handful. */
export const AUDIT_MAX_LIMIT = 500;

const COLUMNS = 'at, correlation_id, actor_id, channel_id, command, args, action, result, detail, duration_ms, env';

/** Append one audit row on `db` — also a transaction handle, so other stores write audit atomically. */
export async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.run(`INSERT INTO audit_log (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    e.at,
    e.correlationId,
    e.actorId,
    e.channelId,
    e.command,
    e.args,
    e.action,
    e.result,
    e.detail,
    e.durationMs,
    e.env,
  ]);
}

/** The audit log on the shared SQL surface. */
export function createAuditStore(db: Db): AuditStore {
  return {
    append: (entry) => insertAudit(db, entry),
    async latest({ limit, actorId }) {
      const n = Math.max(1, Math.min(AUDIT_MAX_LIMIT, Math.floor(limit)));
      const rows =
        actorId === undefined
          ? await db.query(`SELECT ${COLUMNS} FROM audit_log ORDER BY at DESC, id DESC LIMIT ?`, [n])
          : await db.query(`SELECT ${COLUMNS} FROM audit_log WHERE actor_id = ? ORDER BY at DESC, id DESC LIMIT ?`, [
              actorId,
              n,
            ]);
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
