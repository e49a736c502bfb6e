import type { BreakGlassRecord, BreakGlassStore } from '../../ports/stores/break-glass.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

const COLUMNS =
  'id, actor_id, channel_id, command, command_text, env, reason, state, created_at, expires_at, confirmed_at, outcome, review_state, review_channel, review_ts, remind_at, reminders, reviewed_by, reviewed_at';
const STATES: readonly BreakGlassRecord['state'][] = ['pending', 'confirmed', 'done', 'expired'];
const REVIEWS: readonly BreakGlassRecord['reviewState'][] = ['none', 'open', 'acknowledged'];

/** Break-glass changes (migration 130) on the shared SQL surface; every move is a compare-and-set. */
export function createBreakGlassStore(db: Db): BreakGlassStore {
  const get = async (id: string) => {
    const rows = await db.query(`SELECT ${COLUMNS} FROM break_glass WHERE id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  };
  return {
    async create(r) {
      await db.run(
        `INSERT INTO break_glass (id, actor_id, channel_id, command, command_text, env, reason, state, created_at, expires_at, review_state, reminders)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, 'none', 0)`,
        [r.id, r.actorId, r.channelId, r.command, r.commandText, r.env, r.reason, r.createdAt, r.expiresAt],
      );
      const rec = await get(r.id);
      if (!rec) throw new Error(`break-glass ${r.id} vanished after its insert`);
      return rec;
    },
    get,
    async confirm(id, actorId, now) {
      // One statement: of two submits (a double click, a Slack retry, two instances) one wins.
      const rows = await db.query(
        `UPDATE break_glass SET state = 'confirmed', confirmed_at = ?
         WHERE id = ? AND state = 'pending' AND actor_id = ? AND expires_at > ? RETURNING ${COLUMNS}`,
        [now, id, actorId, now],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async finish(id, outcome, remindAt) {
      await db.run(
        `UPDATE break_glass SET state = 'done', outcome = ?, review_state = ?, remind_at = ?
         WHERE id = ? AND state = 'confirmed'`,
        [outcome, remindAt === null ? 'none' : 'open', remindAt, id],
      );
    },
    async setReviewMessage(id, channel, ts) {
      await db.run('UPDATE break_glass SET review_channel = ?, review_ts = ? WHERE id = ?', [channel, ts, id]);
    },
    async acknowledge(id, userId, now) {
      const rows = await db.query(
        `UPDATE break_glass SET review_state = 'acknowledged', reviewed_by = ?, reviewed_at = ?
         WHERE id = ? AND review_state = 'open' AND actor_id <> ? RETURNING ${COLUMNS}`,
        [userId, now, id, userId],
      );
      return rows[0] ? toRecord(rows[0]) : null;
    },
    async dueReviews(now) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM break_glass WHERE review_state = 'open' AND remind_at <= ? ORDER BY remind_at, id`,
        [now],
      );
      return rows.map(toRecord);
    },
    async claimReminder(id, now, next) {
      const { changes } = await db.run(
        `UPDATE break_glass SET remind_at = ?, reminders = reminders + 1
         WHERE id = ? AND review_state = 'open' AND remind_at <= ?`,
        [next, id, now],
      );
      return changes === 1;
    },
    async openReviews() {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM break_glass WHERE review_state = 'open' ORDER BY confirmed_at, id`,
      );
      return rows.map(toRecord);
    },
  };
}

function toRecord(r: Row): BreakGlassRecord {
  const state = col.str(r, 'state') as BreakGlassRecord['state'];
  const review = col.str(r, 'review_state') as BreakGlassRecord['reviewState'];
  return {
    id: col.str(r, 'id'),
    actorId: col.str(r, 'actor_id'),
    channelId: col.str(r, 'channel_id'),
    command: col.str(r, 'command'),
    commandText: col.str(r, 'command_text'),
    env: col.str(r, 'env'),
    reason: col.str(r, 'reason'),
    state: STATES.includes(state) ? state : 'expired',
    createdAt: col.num(r, 'created_at'),
    expiresAt: col.num(r, 'expires_at'),
    confirmedAt: col.numOrNull(r, 'confirmed_at'),
    outcome: col.strOrNull(r, 'outcome'),
    reviewState: REVIEWS.includes(review) ? review : 'none',
    reviewChannel: col.strOrNull(r, 'review_channel'),
    reviewTs: col.strOrNull(r, 'review_ts'),
    remindAt: col.numOrNull(r, 'remind_at'),
    reminders: col.num(r, 'reminders'),
    reviewedBy: col.strOrNull(r, 'reviewed_by'),
    reviewedAt: col.numOrNull(r, 'reviewed_at'),
  };
}
