import { createGuardStore } from './guards-store.ts';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import { createApprovalStore } from './approvals-store.ts';
import { createAuditStore } from './audit-store.ts';
import { createBreakGlassStore } from './break-glass-store.ts';
import type { Db } from './db.ts';
import { createDedupStore } from './dedup-store.ts';
import { createAlertStore } from './alerts-store.ts';
import { createAlertActivityStore } from './alert-activity-store.ts';
import { createDeployStore } from './deploys-store.ts';
import { createDrainMetricsStore } from './drain-metrics-store.ts';
import { createDiffCacheStore } from './diff-cache-store.ts';
import { createLockStore } from './locks-store.ts';
import { createLockQueueStore } from './lock-queue-store.ts';
import { createHomeViewerStore } from './home-viewers-store.ts';
import { migrate } from './migrate.ts';
import { createProbeRunStore } from './probe-runs-store.ts';
import { openSqliteDb } from './sqlite.ts';
import { createReleaseStore } from './releases-store.ts';
import { createScheduleStore } from './schedules-store.ts';
import { createWorkflowStore } from './workflows-store.ts';
import { createWorkflowLeaseStore } from './workflow-leases-store.ts';

/**
 * Build the Store on an already migrated `Db`. Each sub-store is one line: add yours here (and its
 * port to src/ports/store.ts), written once against `Db` so both dialects share it.
 */
export function createStoreFromDb(db: Db): Store {
  const audit = createAuditStore(db);
  return {
    kind: db.dialect,
    audit,
    approvals: createApprovalStore(db),
    locks: createLockStore(db),
    dedup: createDedupStore(db),
    lockQueue: createLockQueueStore(db),
    releases: createReleaseStore(db),
    deploys: createDeployStore(db),
    alerts: createAlertStore(db),
    alertActivity: createAlertActivityStore(db),
    diffCache: createDiffCacheStore(db),
    homeViewers: createHomeViewerStore(db),
    workflows: createWorkflowStore(db),
    workflowLeases: createWorkflowLeaseStore(db),
    drainMetrics: createDrainMetricsStore(db),
    probeRuns: createProbeRunStore(db),
    guards: createGuardStore(db),
    breakGlass: createBreakGlassStore(db),
    schedules: createScheduleStore(db),
    async ping() {
      try {
        await db.query('SELECT 1 AS ok');
      } catch (err) {
        throw new AppError(
          'store_failed',
          `The ${db.dialect} database does not answer; check it is running and reachable.`,
          { cause: err },
        );
      }
    },
    async close() {
      // Audit rows still in their group-commit window are stored before the database closes.
      await audit.flush().catch(() => undefined);
      await db.close();
    },
  };
}

/**
 * Open the configured database (PostgreSQL when DATABASE_URL is set, else SQLite at SQLITE_PATH),
 * apply pending migrations, and return the Store. The URL is never logged: it carries the password.
 */
export async function openStore(database: Config['database'], logger: Logger): Promise<Store> {
  // pg is loaded only for PostgreSQL: a bot on SQLite never pays for it at boot.
  const db = database.url
    ? await (await import('./postgres.ts')).openPostgresDb(database.url, {
        ssl: database.ssl,
        onError: (err) =>
          logger.warn({ err: err.message }, 'idle PostgreSQL connection failed; the pool will reconnect'),
      })
    : openSqliteDb(database.sqlitePath);
  try {
    const { applied } = await migrate(db);
    logger.info(
      { kind: db.dialect, applied, ...(database.url ? {} : { path: database.sqlitePath }) },
      applied.length ? 'store opened, migrations applied' : 'store opened',
    );
  } catch (err) {
    await db.close().catch(() => undefined);
    if (err instanceof AppError) throw err;
    throw new AppError(
      'store_failed',
      database.url
        ? `Could not reach PostgreSQL at ${describeUrl(database.url)} (${reason(err)}); check DATABASE_URL and that the database is up.`
        : `Could not use the SQLite database at ${database.sqlitePath} (${reason(err)}); check SQLITE_PATH is writable.`,
      { cause: err },
    );
  }
  return createStoreFromDb(db);
}

/** host:port/database, without user or password. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return 'the configured DATABASE_URL';
  }
}

function reason(err: unknown): string {
  // Node reports a refused connection to every resolved address as an AggregateError with no message.
  const first = err instanceof AggregateError && err.errors.length > 0 ? (err.errors[0] as unknown) : err;
  const code = (first as { code?: unknown } | null)?.code;
  const message = (first instanceof Error && first.message) || (typeof code === 'string' ? code : String(first));
  // pg error texts do not include the connection string, but be safe about credentials anyway.
  return message.replace(/\/\/[^@\s]*@/g, '//***@');
}
