import type { LockQueueStore, QueueEntry } from '../../ports/stores/lock-queue.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

const COLUMNS = 'id, env, user_id, channel_id, command_text, queued_at, state, notified_at';
const STATES: readonly QueueEntry['state'][] = ['waiting', 'notified', 'done', 'left'];

/** Lock queues (migration 100) on the shared SQL surface; turns are given by compare-and-set. */
export function createLockQueueStore(db: Db): LockQueueStore {
  return {
    async enqueue(e) {
      // The partial unique index keeps one waiting entry per person and command line: a double
      // click or a retried `--queue` keeps its place instead of queuing twice.
      const { changes } = await db.run(
        `INSERT INTO lock_queue (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'waiting', NULL) ON CONFLICT DO NOTHING`,
        [e.id, e.env, e.userId, e.channelId, e.commandText, e.queuedAt],
      );
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM lock_queue WHERE env = ? AND user_id = ? AND command_text = ? AND state = 'waiting'`,
        [e.env, e.userId, e.commandText],
      );
      const entry = rows[0] ? toEntry(rows[0]) : { ...e, state: 'waiting' as const, notifiedAt: null };
      const ahead = await db.query<{ n: unknown }>(
        `SELECT COUNT(*) AS n FROM lock_queue WHERE env = ? AND state = 'waiting'
           AND (queued_at < ? OR (queued_at = ? AND id < ?))`,
        [e.env, entry.queuedAt, entry.queuedAt, entry.id],
      );
      return { entry, position: Number(ahead[0]?.n ?? 0) + 1, added: changes === 1 };
    },

    async waiting(env) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM lock_queue WHERE env = ? AND state = 'waiting' ORDER BY queued_at, id`,
        [env],
      );
      return rows.map(toEntry);
    },

    async envsWithWaiting() {
      const rows = await db.query(`SELECT DISTINCT env FROM lock_queue WHERE state = 'waiting' ORDER BY env`);
      return rows.map((r) => col.str(r, 'env'));
    },

    async claimTurn(env, now, turnSince) {
      // One statement: the first waiting entry, only while no turn newer than `turnSince` is open.
      // A racing instance picks the same row and, once the winner commits, finds it no longer
      // waiting (PostgreSQL re-checks the row's WHERE after the lock wait; SQLite serialises writes).
      const rows = await db.query(
        `UPDATE lock_queue SET state = 'notified', notified_at = ?
         WHERE id = (SELECT id FROM lock_queue WHERE env = ? AND state = 'waiting' ORDER BY queued_at, id LIMIT 1)
           AND state = 'waiting'
           AND NOT EXISTS (SELECT 1 FROM lock_queue WHERE env = ? AND state = 'notified' AND notified_at > ?)
         RETURNING ${COLUMNS}`,
        [now, env, env, turnSince],
      );
      return rows[0] ? toEntry(rows[0]) : null;
    },

    async endTurns(env, before) {
      const { changes } = await db.run(
        `UPDATE lock_queue SET state = 'done' WHERE env = ? AND state = 'notified' AND notified_at < ?`,
        [env, before],
      );
      return changes;
    },

    async currentTurn(env) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM lock_queue WHERE env = ? AND state = 'notified' ORDER BY notified_at DESC, id DESC LIMIT 1`,
        [env],
      );
      return rows[0] ? toEntry(rows[0]) : null;
    },
  };
}

function toEntry(r: Row): QueueEntry {
  const state = col.str(r, 'state') as QueueEntry['state'];
  return {
    id: col.str(r, 'id'),
    env: col.str(r, 'env'),
    userId: col.str(r, 'user_id'),
    channelId: col.str(r, 'channel_id'),
    commandText: col.str(r, 'command_text'),
    queuedAt: col.num(r, 'queued_at'),
    state: STATES.includes(state) ? state : 'left',
    notifiedAt: col.numOrNull(r, 'notified_at'),
  };
}
