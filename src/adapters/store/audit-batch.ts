import type { AuditEntry } from '../../ports/stores/audit.ts';
import type { Db } from './db.ts';

/**
 * Rows appended within this window are stored by one INSERT, so one commit. A commit of its own per
 * audit row (table and three indexes) was about a fifth of a cached `flag status`'s CPU, and what kept
 * its ack p99 above twice a bare Bolt app's at 500 commands a second (bench/heroku-read-ack.ts).
 * Nothing is given up for it: each append still resolves only once its row is stored.
 */
export const AUDIT_BATCH_WINDOW_MS = 5;
/** At most this many rows per INSERT (11 parameters each, far below either database's limit). */
export const AUDIT_BATCH_MAX = 100;

/** The audit_log columns every writer and reader names, in this order. */
export const AUDIT_COLUMNS =
  'at, correlation_id, actor_id, channel_id, command, args, action, result, detail, duration_ms, env';
const ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

interface Pending {
  entry: AuditEntry;
  resolve(): void;
  reject(err: unknown): void;
}

/** Append one audit row on `db` — also a transaction handle, so other stores write audit atomically. */
export async function insertAudit(db: Db, e: AuditEntry): Promise<void> {
  await insertAuditRows(db, [e]);
}

async function insertAuditRows(db: Db, rows: readonly AuditEntry[]): Promise<void> {
  const params = rows.flatMap((e) => [
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
  await db.run(`INSERT INTO audit_log (${AUDIT_COLUMNS}) VALUES ${rows.map(() => ROW).join(', ')}`, params);
}

/** Group commit for audit rows written outside a transaction (AuditStore.append). */
export class AuditBatch {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Db) {}

  append(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      if (this.pending.length >= AUDIT_BATCH_MAX) this.flushNow();
      else this.timer ??= setTimeout(() => this.flushNow(), AUDIT_BATCH_WINDOW_MS);
    });
  }

  /** Store whatever is waiting (the store's close() calls this before closing the database). */
  flush(): Promise<void> {
    this.flushNow();
    return this.flushing;
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    // Batches are written one after another, so rows keep the order they were appended in.
    this.flushing = this.flushing.then(() => this.write(batch));
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      await insertAuditRows(
        this.db,
        batch.map((p) => p.entry),
      );
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One bad row must not cost the others theirs: write them one by one, each with its own outcome.
      for (const p of batch) await insertAuditRows(this.db, [p.entry]).then(p.resolve, p.reject);
    }
  }
}
