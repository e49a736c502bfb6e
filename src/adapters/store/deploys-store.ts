import { AppError } from '../../errors.ts';
import { ACTIVE_STATES, DEPLOY_STATES, type DeployState } from '../../core/deploys.ts';
import type { DeployRecord, DeployStore, DeployTransitionPatch, DeployUpdate } from '../../ports/stores/deploys.ts';
import { insertAudit } from './audit-store.ts';
import type { Db } from './db.ts';
import { col, type Row } from './rows.ts';

/** Record field → column, one fixed list: nothing user-supplied ever becomes SQL. */
const FIELDS = {
  id: 'id',
  env: 'env',
  app: 'app',
  kind: 'kind',
  ref: 'ref',
  sha: 'sha',
  targetReleaseId: 'target_release_id',
  targetVersion: 'target_version',
  previousVersion: 'previous_version',
  requesterId: 'requester_id',
  approverId: 'approver_id',
  approvalId: 'approval_id',
  state: 'state',
  backup: 'backup',
  backupTransferId: 'backup_transfer_id',
  backupName: 'backup_name',
  buildId: 'build_id',
  releaseVersion: 'release_version',
  githubDeploymentId: 'github_deployment_id',
  statusChannel: 'status_channel',
  statusTs: 'status_ts',
  lockToken: 'lock_token',
  outputTail: 'output_tail',
  error: 'error',
  correlationId: 'correlation_id',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  finishedAt: 'finished_at',
} as const satisfies Record<keyof DeployRecord, string>;

const KEYS = Object.keys(FIELDS) as (keyof DeployRecord)[];
const COLUMNS = KEYS.map((k) => FIELDS[k]).join(', ');

function toDb(key: keyof DeployRecord, value: unknown): unknown {
  if (key === 'backup') return value ? 1 : 0;
  return value ?? null;
}

/** `SET a = ?, b = ?` for the defined keys of `patch`. */
function sets(patch: Record<string, unknown>): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  for (const key of KEYS) {
    if (!(key in patch) || patch[key] === undefined || key === 'id' || key === 'state') continue;
    sql.push(`${FIELDS[key]} = ?`);
    params.push(toDb(key, patch[key]));
  }
  return { sql, params };
}

/** Deploy records on the shared SQL surface; state changes are compare-and-set (+ audit row). */
export function createDeployStore(db: Db): DeployStore {
  return {
    async create(r) {
      await db.run(
        `INSERT INTO deploys (${COLUMNS}) VALUES (${KEYS.map(() => '?').join(', ')})`,
        KEYS.map((k) => toDb(k, r[k])),
      );
    },

    async get(id) {
      const rows = await db.query(`SELECT ${COLUMNS} FROM deploys WHERE id = ?`, [id]);
      return rows[0] ? toRecord(rows[0]) : null;
    },

    async transition(id, from, to, patch: DeployTransitionPatch, audit) {
      const s = sets(patch);
      return db.transaction(async (tx) => {
        // The WHERE on state is the compare-and-set: whoever moves the state first owns the next step.
        const { changes } = await tx.run(
          `UPDATE deploys SET ${['state = ?', ...s.sql].join(', ')} WHERE id = ? AND state = ?`,
          [to, ...s.params, id, from],
        );
        if (changes !== 1) return false;
        if (audit) await insertAudit(tx, audit);
        return true;
      });
    },

    async update(id, patch: DeployUpdate) {
      const s = sets(patch);
      if (s.sql.length === 0) return;
      await db.run(`UPDATE deploys SET ${s.sql.join(', ')} WHERE id = ?`, [...s.params, id]);
    },

    async listActive() {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM deploys WHERE state IN (${ACTIVE_STATES.map(() => '?').join(', ')}) ORDER BY created_at, id`,
        [...ACTIVE_STATES],
      );
      return rows.map(toRecord);
    },

    async latest(env, limit) {
      const rows = await db.query(
        `SELECT ${COLUMNS} FROM deploys WHERE env = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
        [env, limit],
      );
      return rows.map(toRecord);
    },
  };
}

function state(r: Row): DeployState {
  const s = col.str(r, 'state');
  if (!(DEPLOY_STATES as readonly string[]).includes(s))
    throw new AppError(
      'store_failed',
      `Deploy row has unknown state "${s}"; was it written by a newer version of the bot?`,
    );
  return s as DeployState;
}

function toRecord(r: Row): DeployRecord {
  const kind = col.str(r, 'kind');
  return {
    id: col.str(r, 'id'),
    env: col.str(r, 'env'),
    app: col.str(r, 'app'),
    kind: kind === 'rollback' ? 'rollback' : 'deploy',
    ref: col.strOrNull(r, 'ref'),
    sha: col.strOrNull(r, 'sha'),
    targetReleaseId: col.strOrNull(r, 'target_release_id'),
    targetVersion: col.numOrNull(r, 'target_version'),
    previousVersion: col.numOrNull(r, 'previous_version'),
    requesterId: col.str(r, 'requester_id'),
    approverId: col.strOrNull(r, 'approver_id'),
    approvalId: col.strOrNull(r, 'approval_id'),
    state: state(r),
    backup: col.num(r, 'backup') === 1,
    backupTransferId: col.strOrNull(r, 'backup_transfer_id'),
    backupName: col.strOrNull(r, 'backup_name'),
    buildId: col.strOrNull(r, 'build_id'),
    releaseVersion: col.numOrNull(r, 'release_version'),
    githubDeploymentId: col.numOrNull(r, 'github_deployment_id'),
    statusChannel: col.strOrNull(r, 'status_channel'),
    statusTs: col.strOrNull(r, 'status_ts'),
    lockToken: col.strOrNull(r, 'lock_token'),
    outputTail: col.strOrNull(r, 'output_tail'),
    error: col.strOrNull(r, 'error'),
    correlationId: col.str(r, 'correlation_id'),
    createdAt: col.num(r, 'created_at'),
    updatedAt: col.num(r, 'updated_at'),
    finishedAt: col.numOrNull(r, 'finished_at'),
  };
}
