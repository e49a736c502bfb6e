import type { WorkflowLeaseStore } from '../../ports/stores/workflow-leases.ts';
import type { Db } from './db.ts';
import { col } from './rows.ts';

/** Workflow run leases on the shared SQL surface (migration 065). */
export function createWorkflowLeaseStore(db: Db): WorkflowLeaseStore {
  return {
    async claim(runId, owner, now, until) {
      // One atomic statement, like env_locks: insert if free, or take over only if the lease is ours
      // or expired. Under a race PostgreSQL makes the loser wait and re-checks the WHERE against the
      // winner's row, so exactly one claimer sees a changed row.
      const { changes } = await db.run(
        `INSERT INTO workflow_leases (run_id, owner, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE workflow_leases.owner = excluded.owner OR workflow_leases.expires_at <= ?`,
        [runId, owner, until, now],
      );
      return changes === 1;
    },
    async renew(owner, until) {
      const { changes } = await db.run('UPDATE workflow_leases SET expires_at = ? WHERE owner = ?', [until, owner]);
      return changes;
    },
    async release(runId, owner) {
      await db.run('DELETE FROM workflow_leases WHERE run_id = ? AND owner = ?', [runId, owner]);
    },
    async handOver(owner) {
      const { changes } = await db.run('UPDATE workflow_leases SET expires_at = 0 WHERE owner = ?', [owner]);
      return changes;
    },
    async expired(now) {
      const rows = await db.query('SELECT run_id FROM workflow_leases WHERE expires_at <= ?', [now]);
      return rows.map((r) => col.str(r, 'run_id'));
    },
  };
}
