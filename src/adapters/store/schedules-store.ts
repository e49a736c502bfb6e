import {
  SCHEDULE_STATES,
  type ScheduleRecord,
  type ScheduleState,
  type ScheduleStore,
} from '../../ports/stores/schedules.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

const COLUMNS = `id, env, target, reason, forced, run_at, requester_id, channel_id, approval_id, approved_by,
  created_at, state, message_channel, message_ts, quiet_since, asked_at, claimed_at, claimed_by, finished_at,
  outcome, correlation_id`;

/** Scheduled flag changes (migration 120) on the shared SQL surface; every move is a compare-and-set. */
export function createScheduleStore(db: Db): ScheduleStore {
  const get = async (id: string) => {
    const rows = await db.query(`SELECT ${COLUMNS} FROM scheduled_changes WHERE id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  };
  return {
    async create(r) {
      await db.run(
        `INSERT INTO scheduled_changes (${COLUMNS}) VALUES
           (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'scheduled', NULL, NULL, ?, NULL, NULL, NULL, NULL, NULL, ?)`,
        [
          r.id,
          r.env,
          r.target,
          r.reason,
          r.force ? 1 : 0,
          r.runAt,
          r.requesterId,
          r.channelId,
          r.approvalId,
          JSON.stringify(r.approvedBy),
          r.createdAt,
          r.quietSince,
          r.correlationId,
        ],
      );
      const rec = await get(r.id);
      if (!rec) throw new Error(`scheduled change ${r.id} vanished after insert`);
      return rec;
    },
    get,
    async open() {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM scheduled_changes WHERE state IN ('scheduled', 'running') ORDER BY run_at, id`,
      );
      return rows.map(toRecord);
    },
    async finished(since, limit) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM scheduled_changes
         WHERE state NOT IN ('scheduled', 'running') AND finished_at >= ? ORDER BY finished_at DESC, id LIMIT ?`,
        [since, limit],
      );
      return rows.map(toRecord);
    },
    async setMessage(id, channel, ts) {
      await db.run('UPDATE scheduled_changes SET message_channel = ?, message_ts = ? WHERE id = ?', [channel, ts, id]);
    },
    async transition(id, from, to, p) {
      // One statement: a racing instance re-checks `state` after the row lock (PostgreSQL) or
      // waits for the write lock (SQLite), finds it moved and changes nothing.
      const { changes } = await db.run(
        `UPDATE scheduled_changes SET state = ?,
           claimed_at = COALESCE(?, claimed_at), claimed_by = COALESCE(?, claimed_by),
           finished_at = COALESCE(?, finished_at), outcome = COALESCE(?, outcome)
         WHERE id = ? AND state = ?`,
        [to, p.claimedAt ?? null, p.claimedBy ?? null, p.finishedAt ?? null, p.outcome ?? null, id, from],
      );
      return changes === 1;
    },
    async ask(id, at) {
      const { changes } = await db.run(
        `UPDATE scheduled_changes SET asked_at = ? WHERE id = ? AND state = 'scheduled' AND asked_at IS NULL`,
        [at, id],
      );
      return changes === 1;
    },
    async keep(id, at) {
      const { changes } = await db.run(
        `UPDATE scheduled_changes SET asked_at = NULL, quiet_since = ?
         WHERE id = ? AND state = 'scheduled' AND asked_at IS NOT NULL`,
        [at, id],
      );
      return changes === 1;
    },
  };
}

function toRecord(r: Row): ScheduleRecord {
  const state = col.str(r, 'state') as ScheduleState;
  const approvedBy = col.json(r, 'approved_by');
  return {
    id: col.str(r, 'id'),
    env: col.str(r, 'env'),
    target: col.str(r, 'target') === 'off' ? 'off' : 'on',
    reason: col.strOrNull(r, 'reason'),
    force: col.num(r, 'forced') === 1,
    runAt: col.num(r, 'run_at'),
    requesterId: col.str(r, 'requester_id'),
    channelId: col.str(r, 'channel_id'),
    approvalId: col.strOrNull(r, 'approval_id'),
    approvedBy: Array.isArray(approvedBy) ? approvedBy.map(String) : [],
    createdAt: col.num(r, 'created_at'),
    state: SCHEDULE_STATES.includes(state) ? state : 'failed',
    messageChannel: col.strOrNull(r, 'message_channel'),
    messageTs: col.strOrNull(r, 'message_ts'),
    quietSince: col.num(r, 'quiet_since'),
    askedAt: col.numOrNull(r, 'asked_at'),
    claimedAt: col.numOrNull(r, 'claimed_at'),
    claimedBy: col.strOrNull(r, 'claimed_by'),
    finishedAt: col.numOrNull(r, 'finished_at'),
    outcome: col.strOrNull(r, 'outcome'),
    correlationId: col.str(r, 'correlation_id'),
  };
}
