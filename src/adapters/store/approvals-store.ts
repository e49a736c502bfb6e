import { AppError } from '../../errors.ts';
import {
  APPROVAL_STATES,
  type ApprovalRecord,
  type ApprovalState,
  type ApprovalStore,
} from '../../ports/stores/approvals.ts';
import type { Db } from './db.ts';
import { insertAudit } from './audit-store.ts';
import { col, toJson, type Row } from './rows.ts';
import { approversOf, castVoteInStore } from './approval-votes-store.ts';

const COLUMNS =
  'id, command, input_json, plan_json, requester_id, channel_id, env, approver_role, state, created_at, expires_at, ' +
  'decided_by, decided_at, outcome, message_channel, message_ts, correlation_id, approvals_needed';

/** The fields `transition` may patch, and their columns (a fixed list: nothing user-supplied reaches SQL). */
const PATCHABLE = { decidedBy: 'decided_by', decidedAt: 'decided_at', outcome: 'outcome' } as const;

/** Approvals on the shared SQL surface; every state change is compare-and-set plus its audit row, atomically. */
export function createApprovalStore(db: Db): ApprovalStore {
  return {
    async create(r, audit) {
      await db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO approvals (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            r.id,
            r.command,
            toJson(r.input),
            toJson(r.plan),
            r.requesterId,
            r.channelId,
            r.env,
            r.approverRole,
            r.state,
            r.createdAt,
            r.expiresAt,
            r.decidedBy,
            r.decidedAt,
            r.outcome,
            r.messageChannel,
            r.messageTs,
            r.correlationId,
            r.approvalsNeeded ?? 1,
          ],
        );
        await insertAudit(tx, audit);
      });
    },

    async get(id) {
      const rows = await db.query(`SELECT ${COLUMNS} FROM approvals WHERE id = ?`, [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async transition(id, from, to, patch, audit) {
      const sets = ['state = ?'];
      const params: unknown[] = [to];
      for (const [key, column] of Object.entries(PATCHABLE) as [keyof typeof PATCHABLE, string][]) {
        if (patch[key] === undefined) continue;
        sets.push(`${column} = ?`);
        params.push(patch[key]);
      }
      return db.transaction(async (tx) => {
        // The WHERE on state is the compare-and-set: a second click, a Slack retry or another
        // instance finds the state already moved and changes nothing (PostgreSQL re-checks it
        // after waiting for the winner's row lock; SQLite's BEGIN IMMEDIATE serialises writers).
        const { changes } = await tx.run(`UPDATE approvals SET ${sets.join(', ')} WHERE id = ? AND state = ?`, [
          ...params,
          id,
          from,
        ]);
        if (changes !== 1) return false;
        await insertAudit(tx, audit);
        return true;
      });
    },

    vote: (id, userId, now, eligible, audit) => castVoteInStore(db, id, userId, now, eligible, audit),

    async approvers(id) {
      return approversOf(db, id);
    },

    async setMessage(id, channel, ts) {
      await db.run('UPDATE approvals SET message_channel = ?, message_ts = ? WHERE id = ?', [channel, ts, id]);
    },

    async listExpired(now) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM approvals WHERE state = 'pending' AND expires_at <= ? ORDER BY expires_at, id`,
        [now],
      );
      return rows.map(toRecord);
    },

    async listPending(now, limit) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM approvals WHERE state = 'pending' AND expires_at > ? ORDER BY created_at, id LIMIT ?`,
        [now, limit],
      );
      return rows.map(toRecord);
    },

    async listUnfinished() {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM approvals WHERE state IN ('approved', 'executing') ORDER BY created_at, id`,
      );
      return rows.map(toRecord);
    },
  };
}

function toRecord(r: Row): ApprovalRecord {
  return {
    id: col.str(r, 'id'),
    command: col.str(r, 'command'),
    input: col.json(r, 'input_json'),
    plan: col.json(r, 'plan_json'),
    requesterId: col.str(r, 'requester_id'),
    channelId: col.str(r, 'channel_id'),
    env: col.strOrNull(r, 'env'),
    approverRole: col.str(r, 'approver_role'),
    state: toState(col.str(r, 'state')),
    createdAt: col.num(r, 'created_at'),
    expiresAt: col.num(r, 'expires_at'),
    decidedBy: col.strOrNull(r, 'decided_by'),
    decidedAt: col.numOrNull(r, 'decided_at'),
    outcome: col.strOrNull(r, 'outcome'),
    messageChannel: col.strOrNull(r, 'message_channel'),
    messageTs: col.strOrNull(r, 'message_ts'),
    correlationId: col.str(r, 'correlation_id'),
    approvalsNeeded: col.num(r, 'approvals_needed'),
  };
}

function toState(s: string): ApprovalState {
  if ((APPROVAL_STATES as readonly string[]).includes(s)) return s as ApprovalState;
  throw new AppError(
    'store_failed',
    `An approval is in unknown state "${s}"; was it written by a newer version of the bot?`,
  );
}
