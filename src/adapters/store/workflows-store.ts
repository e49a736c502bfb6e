import { AppError } from '../../errors.ts';
import { ACTIVE_RUN_STATES, OFFERS, RUN_STATES, type Offer, type RunState } from '../../core/workflow.ts';
import type { WorkflowPatch, WorkflowRun, WorkflowStore } from '../../ports/stores/workflows.ts';
import { insertAudit } from './audit-store.ts';
import type { Db } from './db.ts';
import { col, toJson, type Row } from './rows.ts';

const COLUMNS =
  'id, workflow, env, input_json, state, step_index, data_json, scratch_json, waiting_for, wake_at, error, ' +
  'offers_json, requester_id, status_channel, status_ts, lock_token, correlation_id, version, created_at, ' +
  'updated_at, finished_at';

/** Patchable field → column and encoding; a fixed list, so nothing user-supplied becomes SQL. */
const PATCH: Record<Exclude<keyof WorkflowPatch, never>, [string, (v: unknown) => unknown]> = {
  state: ['state', (v) => v],
  stepIndex: ['step_index', (v) => v],
  data: ['data_json', toJson],
  scratch: ['scratch_json', toJson],
  waitingFor: ['waiting_for', (v) => v ?? null],
  wakeAt: ['wake_at', (v) => v ?? null],
  error: ['error', (v) => v ?? null],
  offers: ['offers_json', toJson],
  statusChannel: ['status_channel', (v) => v ?? null],
  statusTs: ['status_ts', (v) => v ?? null],
  lockToken: ['lock_token', (v) => v ?? null],
  finishedAt: ['finished_at', (v) => v ?? null],
  updatedAt: ['updated_at', (v) => v],
};

/** Workflow runs on the shared SQL surface; every write after create is compare-and-set on `version`. */
export function createWorkflowStore(db: Db): WorkflowStore {
  return {
    async create(r, audit) {
      await db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO workflow_runs (${COLUMNS}) VALUES (${COLUMNS.split(',')
            .map(() => '?')
            .join(', ')})`,
          [
            r.id,
            r.workflow,
            r.env,
            toJson(r.input),
            r.state,
            r.stepIndex,
            toJson(r.data),
            toJson(r.scratch),
            r.waitingFor,
            r.wakeAt,
            r.error,
            toJson(r.offers),
            r.requesterId,
            r.statusChannel,
            r.statusTs,
            r.lockToken,
            r.correlationId,
            r.version,
            r.createdAt,
            r.updatedAt,
            r.finishedAt,
          ],
        );
        if (audit) await insertAudit(tx, audit);
      });
    },

    async get(id) {
      const rows = await db.query(`SELECT ${COLUMNS} FROM workflow_runs WHERE id = ?`, [id]);
      return rows[0] ? toRun(rows[0]) : null;
    },

    async advance(id, version, patch, audit) {
      const sets = ['version = ?'];
      const params: unknown[] = [version + 1];
      for (const [key, [column, encode]] of Object.entries(PATCH)) {
        const v = (patch as Record<string, unknown>)[key];
        if (v === undefined) continue;
        sets.push(`${column} = ?`);
        params.push(encode(v));
      }
      return db.transaction(async (tx) => {
        // The WHERE on version is the compare-and-set: whoever writes first owns the next move.
        const { changes } = await tx.run(`UPDATE workflow_runs SET ${sets.join(', ')} WHERE id = ? AND version = ?`, [
          ...params,
          id,
          version,
        ]);
        if (changes !== 1) return false;
        if (audit) await insertAudit(tx, audit);
        return true;
      });
    },

    async listActive() {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM workflow_runs WHERE state IN (${ACTIVE_RUN_STATES.map(() => '?').join(', ')}) ORDER BY created_at, id`,
        [...ACTIVE_RUN_STATES],
      );
      return rows.map(toRun);
    },

    async latest({ workflow, env, limit }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (workflow !== null) {
        where.push('workflow = ?');
        params.push(workflow);
      }
      if (env !== null) {
        where.push('env = ?');
        params.push(env);
      }
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM workflow_runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`,
        [...params, limit],
      );
      return rows.map(toRun);
    },
  };
}

function runState(r: Row): RunState {
  const s = col.str(r, 'state');
  if (!(RUN_STATES as readonly string[]).includes(s))
    throw new AppError('store_failed', `Workflow run has unknown state "${s}"; was it written by a newer bot?`);
  return s as RunState;
}

function record(r: Row, name: string): Record<string, unknown> {
  const v = col.json(r, name);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function offers(r: Row): Offer[] {
  const v = col.json(r, 'offers_json');
  return Array.isArray(v) ? v.filter((o): o is Offer => (OFFERS as readonly unknown[]).includes(o)) : [];
}

function toRun(r: Row): WorkflowRun {
  return {
    id: col.str(r, 'id'),
    workflow: col.str(r, 'workflow'),
    env: col.str(r, 'env'),
    input: col.json(r, 'input_json'),
    state: runState(r),
    stepIndex: col.num(r, 'step_index'),
    data: record(r, 'data_json'),
    scratch: record(r, 'scratch_json'),
    waitingFor: col.strOrNull(r, 'waiting_for'),
    wakeAt: col.numOrNull(r, 'wake_at'),
    error: col.strOrNull(r, 'error'),
    offers: offers(r),
    requesterId: col.str(r, 'requester_id'),
    statusChannel: col.strOrNull(r, 'status_channel'),
    statusTs: col.strOrNull(r, 'status_ts'),
    lockToken: col.strOrNull(r, 'lock_token'),
    correlationId: col.str(r, 'correlation_id'),
    version: col.num(r, 'version'),
    createdAt: col.num(r, 'created_at'),
    updatedAt: col.num(r, 'updated_at'),
    finishedAt: col.numOrNull(r, 'finished_at'),
  };
}
