import type { AlertActivityStore } from './stores/alert-activity.ts';
import type { AlertStore } from './stores/alerts.ts';
import type { ApprovalStore } from './stores/approvals.ts';
import type { AuditStore } from './stores/audit.ts';
import type { BreakGlassStore } from './stores/break-glass.ts';
import type { DedupStore } from './stores/dedup.ts';
import type { DrainMetricsStore } from './stores/drain-metrics.ts';
import type { GuardStore } from './stores/guards.ts';
import type { DiffCacheStore } from './stores/diff-cache.ts';
import type { DeployStore } from './stores/deploys.ts';
import type { HomeViewerStore } from './stores/home-viewers.ts';
import type { LockStore } from './stores/locks.ts';
import type { LockQueueStore } from './stores/lock-queue.ts';
import type { ProbeRunStore } from './stores/probe-runs.ts';
import type { ReleaseStore } from './stores/releases.ts';
import type { ScheduleStore } from './stores/schedules.ts';
import type { WorkflowStore } from './stores/workflows.ts';
import type { WorkflowLeaseStore } from './stores/workflow-leases.ts';

/**
 * All persistent state, one sub-store per concern. SQLite and PostgreSQL implement the same
 * interface from the same SQL (adapters/store), checked by one contract test suite.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly audit: AuditStore;
  readonly approvals: ApprovalStore;
  readonly locks: LockStore;
  readonly dedup: DedupStore;
  /** Who waits for each environment's lock, first in first out (issue 23 §3). */
  readonly lockQueue: LockQueueStore;
  /** Flag history: every Heroku release the bot made or saw, with the flag's value (issue 3). */
  readonly releases: ReleaseStore;
  readonly deploys: DeployStore;
  /** Alert deliveries, groups, digests, silences and the Slack outbox (issue 6). */
  readonly alerts: AlertStore;
  /** When each alert fired (per minute) and its chart tokens, for the activity chart (issue 6). */
  readonly alertActivity: AlertActivityStore;
  /** OpenAPI diff results by content hashes (issue 4). */
  readonly diffCache: DiffCacheStore;
  /** Who opened the Home tab lately, to refresh it for them (issue 13). */
  readonly homeViewers: HomeViewerStore;
  /** Workflow runs: deploys, rollbacks, releases and tasks as durable step lists (issue 11). */
  readonly workflows: WorkflowStore;
  /** Which instance drives which run; a dead instance's runs are taken over (issue 19 §7). */
  readonly workflowLeases: WorkflowLeaseStore;
  /** Heroku log drain per-minute metrics (issue 12). */
  readonly drainMetrics: DrainMetricsStore;
  /** Every contract probe run's answer, for the checklist's "last probe results" (issue 11 §3). */
  readonly probeRuns: ProbeRunStore;
  /** Guards of production changes: baseline, state, last verdict (issue 21). */
  readonly guards: GuardStore;
  /** Break-glass changes, their confirmation and their review (issue 23 §2). */
  readonly breakGlass: BreakGlassStore;
  /** Scheduled flag changes, approved ahead (issue 23 §1). */
  readonly schedules: ScheduleStore;
  /** Throws when the database is unreachable (used by /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
