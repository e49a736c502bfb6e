import type { ApprovalStore } from './stores/approvals.ts';
import type { AuditStore } from './stores/audit.ts';
import type { DedupStore } from './stores/dedup.ts';
import type { LockStore } from './stores/locks.ts';

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
  /** Throws when the database is unreachable (used by /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
