import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approvalNeed, castVote, type VoteVerdict } from '../../src/core/approval-votes.ts';

/** The N-of-M count (issue 23 §5): what one Approve click means, whatever the order of clicks. */
const REQUESTER = 'UREQ';
const ok = { ok: true } as const;

/** Play clicks against the rule the store applies, keeping the tally the store would keep. */
function play(needed: number, clicks: ReadonlyArray<{ user: string; eligible: boolean }>) {
  let approvers: string[] = [];
  const completions: number[] = [];
  clicks.forEach((c, i) => {
    if (completions.length > 0) return; // once approved the store answers `closed`
    const v: VoteVerdict = castVote(
      { needed, approvers, requesterId: REQUESTER },
      c.user,
      c.eligible ? ok : { ok: false, reason: 'not in the group' },
    );
    if (v.kind === 'counted' || v.kind === 'complete') approvers = [...v.approvers];
    if (v.kind === 'complete') completions.push(i);
  });
  return { approvers, completions };
}

describe('castVote', () => {
  it('never approves with fewer than N distinct eligible approvers other than the requester', () => {
    const user = fc.constantFrom(REQUESTER, 'UA', 'UB', 'UC', 'UD');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.record({ user, eligible: fc.boolean() }), { maxLength: 30 }),
        (needed, clicks) => {
          const { approvers, completions } = play(needed, clicks);
          expect(completions.length).toBeLessThanOrEqual(1);
          expect(new Set(approvers).size).toBe(approvers.length);
          expect(approvers).not.toContain(REQUESTER);
          const firstEligible = new Map<string, number>();
          clicks.forEach((c, i) => {
            if (c.eligible && c.user !== REQUESTER && !firstEligible.has(c.user)) firstEligible.set(c.user, i);
          });
          for (const a of approvers) expect(firstEligible.has(a)).toBe(true);
          if (completions.length === 1) expect(approvers.length).toBe(needed);
          // Enough distinct eligible clickers always complete it, at the N-th of them.
          const order = [...firstEligible.values()].sort((x, y) => x - y);
          if (order.length >= needed) expect(completions).toEqual([order[needed - 1]]);
          else expect(completions).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('says what a click did: refused, duplicate, counted, complete', () => {
    const t = { needed: 2, approvers: [] as string[], requesterId: REQUESTER };
    expect(castVote(t, REQUESTER, ok)).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/someone else/),
    });
    expect(castVote(t, 'UA', { ok: false, reason: 'no' })).toEqual({ kind: 'refused', reason: 'no' });
    expect(castVote(t, 'UA', ok)).toEqual({ kind: 'counted', approvers: ['UA'], remaining: 1 });
    expect(castVote({ ...t, approvers: ['UA'] }, 'UA', ok)).toEqual({
      kind: 'duplicate',
      approvers: ['UA'],
      remaining: 1,
    });
    expect(castVote({ ...t, approvers: ['UA'] }, 'UB', ok)).toEqual({ kind: 'complete', approvers: ['UA', 'UB'] });
  });

  it('finds the rule by environment and kind of change; one approver when none is set', () => {
    const rules = { production: { counts: { deploy: 2, flag_on: 3 }, approverGroups: ['S1'] } };
    expect(approvalNeed(rules, 'production', 'deploy')).toEqual({ needed: 2, groups: ['S1'] });
    expect(approvalNeed(rules, 'production', 'flag on')).toEqual({ needed: 3, groups: ['S1'] });
    expect(approvalNeed(rules, 'production', 'rollback')).toEqual({ needed: 1, groups: ['S1'] });
    expect(approvalNeed(rules, 'staging', 'deploy')).toEqual({ needed: 1, groups: [] });
    expect(approvalNeed(rules, null, 'deploy')).toEqual({ needed: 1, groups: [] });
  });
});
