import { describe, expect, it } from 'vitest';
import { AppError, logFailure } from '../../src/errors.ts';

/** The log calls made, as [level, fields]. */
function recorder() {
  const calls: [string, Record<string, unknown>][] = [];
  const at = (level: string) => (obj: object) => void calls.push([level, obj as Record<string, unknown>]);
  return { calls, log: { info: at('info'), warn: at('warn'), error: at('error') } };
}

describe('logFailure: refusals without a stack, faults with one (issue 19 item 6)', () => {
  it('a refusal (unknown environment, lock, expired approval) is info with its code and reason, no error object', () => {
    for (const code of ['not_found', 'locked', 'approval_expired', 'usage', 'github_not_found'] as const) {
      const r = recorder();
      const e = logFailure(r.log, new AppError(code, 'what the person reads'), 'command failed', { approvalId: 'a1' });
      expect(e.code).toBe(code);
      expect(r.calls).toEqual([['info', { approvalId: 'a1', code, reason: 'what the person reads' }]]);
    }
  });

  it('vendor trouble is a warning and a fault an error, both with the error (its stack)', () => {
    const vendor = recorder();
    logFailure(vendor.log, new AppError('heroku_unavailable', 'Heroku is down'), 'command failed');
    expect(vendor.calls[0]![0]).toBe('warn');
    expect((vendor.calls[0]![1].err as Error).stack).toContain('AppError');

    const fault = recorder();
    const e = logFailure(fault.log, new TypeError('x is undefined'), 'command failed');
    expect(e.code).toBe('internal');
    expect(fault.calls[0]![0]).toBe('error');
    expect((fault.calls[0]![1].err as Error).stack).toContain('TypeError: x is undefined');
  });
});
