/** Approval states: pending → approved → executing → succeeded | failed, or pending → rejected | expired | cancelled. */
export const APPROVAL_STATES = [
  'pending',
  'approved',
  'executing',
  'succeeded',
  'failed',
  'rejected',
  'expired',
  'cancelled',
] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

/** Events that move an approval. */
export type ApprovalEvent =
  | { type: 'approve' }
  | { type: 'reject' }
  | { type: 'cancel' }
  | { type: 'expire' }
  | { type: 'start' }
  | { type: 'succeed' }
  | { type: 'fail' };

export type TransitionResult = { ok: true; to: ApprovalState } | { ok: false; reason: string };

/**
 * The approval state machine: pending → approved → executing → succeeded | failed, or
 * pending → rejected | expired | cancelled. Pure: the store applies the result with compare-and-set,
 * so a Slack retry, a double click or a second instance can never apply it twice.
 */
export function transition(
  state: ApprovalState,
  event: ApprovalEvent,
  now: number,
  expiresAt: number,
): TransitionResult {
  switch (state) {
    case 'pending':
      if (event.type === 'approve')
        return now >= expiresAt ? { ok: true, to: 'expired' } : { ok: true, to: 'approved' };
      if (event.type === 'reject') return { ok: true, to: 'rejected' };
      if (event.type === 'cancel') return { ok: true, to: 'cancelled' };
      if (event.type === 'expire')
        return now >= expiresAt ? { ok: true, to: 'expired' } : { ok: false, reason: 'not expired yet' };
      break;
    case 'approved':
      if (event.type === 'start') return { ok: true, to: 'executing' };
      break;
    case 'executing':
      if (event.type === 'succeed') return { ok: true, to: 'succeeded' };
      if (event.type === 'fail') return { ok: true, to: 'failed' };
      break;
    default:
      return { ok: false, reason: `this request is already ${state}` };
  }
  return { ok: false, reason: `cannot ${event.type} a request that is ${state}` };
}

/** Human words for a final state, used when rewriting the approval message. */
export const STATE_WORDS: Record<ApprovalState, string> = {
  pending: 'waiting for approval',
  approved: 'approved',
  executing: 'running',
  succeeded: 'done',
  failed: 'failed',
  rejected: 'rejected',
  expired: 'expired',
  cancelled: 'cancelled',
};
