/**
 * N-of-M approvals (issue 23 §5): how many distinct people must approve a kind of change in an
 * environment, and the pure rule that counts their clicks. The store records each approval as its
 * own row and moves the request to `approved` once, by compare-and-set; this file decides what a
 * click means, so the property test can play any order of clicks against it.
 */

/** The kinds of change a rule can count (a command's name, `flag on` as `flag_on`). */
export const APPROVAL_KINDS = ['deploy', 'release', 'rollback', 'flag_on', 'run', 'promote'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** One environment's rule: approvers needed per kind (absent: 1, as before) and who may approve. */
export interface ApprovalRule {
  counts: Partial<Record<ApprovalKind, number>>;
  /** Slack user-group ids; when non-empty, only their members count (on top of the approver role). */
  approverGroups: string[];
}
export type ApprovalRules = Record<string, ApprovalRule>;

/** What a request needs: the number of distinct approvers and the groups they must be in. */
export interface ApprovalNeed {
  needed: number;
  groups: string[];
}

/** The rule for `command` in `env`; one approver from anyone with the approver role when none is set. */
export function approvalNeed(rules: ApprovalRules, env: string | null, command: string): ApprovalNeed {
  const rule = env ? rules[env] : undefined;
  if (!rule) return { needed: 1, groups: [] };
  const kind = command.replace(/ /g, '_') as ApprovalKind;
  return { needed: Math.max(1, rule.counts[kind] ?? 1), groups: rule.approverGroups };
}

/** What one Approve click does to the tally. */
export type VoteVerdict =
  | { kind: 'refused'; reason: string }
  | { kind: 'duplicate'; approvers: readonly string[]; remaining: number }
  | { kind: 'counted'; approvers: readonly string[]; remaining: number }
  | { kind: 'complete'; approvers: readonly string[] };

/**
 * Count one click: the requester never counts, an ineligible clicker (role or group) is refused,
 * a second click by the same person changes nothing, and the request completes exactly when the
 * `needed`-th distinct eligible approver clicks. `approvers` are those counted so far.
 */
export function castVote(
  tally: { needed: number; approvers: readonly string[]; requesterId: string },
  userId: string,
  eligible: { ok: true } | { ok: false; reason: string },
): VoteVerdict {
  const remaining = Math.max(0, tally.needed - tally.approvers.length);
  if (userId === tally.requesterId)
    return { kind: 'refused', reason: 'You asked for this change, so someone else has to approve it.' };
  if (tally.approvers.includes(userId)) return { kind: 'duplicate', approvers: tally.approvers, remaining };
  if (!eligible.ok) return { kind: 'refused', reason: eligible.reason };
  const approvers = [...tally.approvers, userId];
  return approvers.length >= tally.needed
    ? { kind: 'complete', approvers }
    : { kind: 'counted', approvers, remaining: tally.needed - approvers.length };
}

/** "2 more approvals needed" / "1 more approval needed". */
export function stillNeeded(remaining: number): string {
  return `${remaining} more approval${remaining === 1 ? '' : 's'} needed`;
}
