import { describe, expect, it } from 'vitest';
import { transition } from '../../src/core/approvals.ts';
import { canDecide, resolveRole } from '../../src/core/policy.ts';

const roles = {
  users: { UADMIN: 'admin' as const, UOPS: 'operator' as const },
  groups: { SONCALL: 'operator' as const },
  defaultRole: 'viewer' as const,
};

describe('roles', () => {
  it('takes the highest of user entry and group entries, else the default', () => {
    expect(resolveRole(roles, 'UADMIN', ['SONCALL'])).toBe('admin');
    expect(resolveRole(roles, 'USOMEONE', ['SONCALL'])).toBe('operator');
    expect(resolveRole(roles, 'USOMEONE', [])).toBe('viewer');
  });
});

describe('who may decide', () => {
  const req = { requesterId: 'UOPS', approverRole: 'operator' };
  it('never lets the requester approve their own request', () => {
    expect(canDecide(req, 'UOPS', 'admin')).toEqual({ ok: false, reason: expect.stringMatching(/someone else/) });
  });
  it('refuses approvers below the declared role', () => {
    expect(canDecide(req, 'UVIEW', 'viewer')).toEqual({ ok: false, reason: expect.stringMatching(/operator role/) });
    expect(canDecide(req, 'UOTHER', 'operator')).toEqual({ ok: true });
  });
});

describe('approval state machine', () => {
  const exp = 1_000;
  it('approves before expiry and expires after', () => {
    expect(transition('pending', { type: 'approve' }, 999, exp)).toEqual({ ok: true, to: 'approved' });
    expect(transition('pending', { type: 'approve' }, 1_000, exp)).toEqual({ ok: true, to: 'expired' });
  });
  it('cannot decide a request twice or run one that was rejected', () => {
    expect(transition('approved', { type: 'approve' }, 0, exp).ok).toBe(false);
    expect(transition('rejected', { type: 'start' }, 0, exp).ok).toBe(false);
    expect(transition('approved', { type: 'start' }, 0, exp)).toEqual({ ok: true, to: 'executing' });
    expect(transition('executing', { type: 'fail' }, 0, exp)).toEqual({ ok: true, to: 'failed' });
  });
});
