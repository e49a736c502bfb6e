import type { AuditEntry } from './audit.ts';

import type { ApprovalState } from '../../core/approvals.ts';
import type { VoteVerdict } from '../../core/approval-votes.ts';

// The state machine's states belong to the core (src/core/approvals.ts); re-exported for the stores.
export { APPROVAL_STATES, type ApprovalState } from '../../core/approvals.ts';

/** A persisted request for a second person's approval; survives restarts. */
export interface ApprovalRecord {
  id: string;
  /** Sub-command name that will execute. */
  command: string;
  /** The parsed input, JSON-serialisable, re-planned before execution. */
  input: unknown;
  /** The plan shown to the approver (JSON). */
  plan: unknown;
  requesterId: string;
  channelId: string;
  env: string | null;
  /** Least role an approver needs. */
  approverRole: string;
  /** Distinct approvers needed before it runs (issue 23 §5); 1 when absent, as before. */
  approvalsNeeded?: number;
  state: ApprovalState;
  createdAt: number;
  expiresAt: number;
  decidedBy: string | null;
  decidedAt: number | null;
  /** Outcome or reason text once final. */
  outcome: string | null;
  /** Where the approval message was posted, for chat.update. */
  messageChannel: string | null;
  messageTs: string | null;
  correlationId: string;
}

export interface ApprovalStore {
  /** Insert the record and its audit row in one transaction. */
  create(record: ApprovalRecord, audit: AuditEntry): Promise<void>;
  get(id: string): Promise<ApprovalRecord | null>;
  /**
   * Compare-and-set: move `id` from `from` to `to` (applying `patch`) only if it is still in `from`,
   * writing `audit` in the same transaction. False when another click/instance got there first.
   */
  transition(
    id: string,
    from: ApprovalState,
    to: ApprovalState,
    patch: Partial<Pick<ApprovalRecord, 'decidedBy' | 'decidedAt' | 'outcome'>>,
    audit: AuditEntry,
  ): Promise<boolean>;
  /**
   * One Approve click (issue 23 §5), in one transaction that first claims the pending row (so two
   * instances' clicks are counted one after the other): counts it with the core's `castVote`, stores
   * the approval as its own row with `audit` (its result set to counted/approved), and when it is
   * the last one needed moves the request to `approved` (decidedBy = this approver). `closed` when
   * the request is no longer pending or has expired at `now`.
   */
  vote(
    id: string,
    userId: string,
    now: number,
    eligible: { ok: true } | { ok: false; reason: string },
    audit: AuditEntry,
  ): Promise<VoteVerdict | { kind: 'closed' }>;
  /** Who has approved so far, in click order. */
  approvers(id: string): Promise<string[]>;
  setMessage(id: string, channel: string, ts: string): Promise<void>;
  /** Pending approvals whose expiry is at or before `now`. */
  listExpired(now: number): Promise<ApprovalRecord[]>;
  /** Approvals still pending and not yet expired at `now`, oldest first, at most `limit` (the Home tab). */
  listPending(now: number, limit: number): Promise<ApprovalRecord[]>;
  /** Approvals `approved` or `executing` (at boot: left by a process that died mid-way; see services/approvals/settle.ts). */
  listUnfinished(): Promise<ApprovalRecord[]>;
}
