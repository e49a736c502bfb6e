import type { ApprovalRecord } from '../../src/ports/stores/approvals.ts';

/** A realistic ms timestamp, beyond 32 bits: BIGINT must round-trip as a number. */
export const APPROVAL_T0 = 1_760_000_000_000;

/** A pending approval request as the store keeps it; `over` changes what a test is about. */
export function approval(id: string, over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id,
    command: 'flag',
    input: { env: 'production', on: true, nested: [1, 'two', null] },
    plan: { steps: ['set AUTORISEN_ENABLED=true on capecraft'] },
    requesterId: 'UREQ',
    channelId: 'C1',
    env: 'production',
    approverRole: 'admin',
    approvalsNeeded: 1,
    state: 'pending',
    createdAt: APPROVAL_T0,
    expiresAt: APPROVAL_T0 + 30 * 60_000,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    messageChannel: null,
    messageTs: null,
    correlationId: `corr-${id}`,
    ...over,
  };
}
