import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import type { AuditEntry } from '../../src/ports/stores/audit.ts';
import { approval } from '../support/approval-fixture.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const T0 = 1_760_000_000_000; // a realistic ms timestamp, beyond 32 bits: BIGINT must round-trip as a number

function audit(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    at: T0,
    correlationId: 'corr-1',
    actorId: 'U1',
    channelId: 'C1',
    command: 'flag',
    args: 'flag on production',
    action: 'invoke',
    result: 'ok',
    detail: null,
    durationMs: 12,
    env: 'production',
    ...over,
  };
}

describe.each(testDatabases())('store contract on $name', (database) => {
  let o: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    o = await database.open();
    store = o.store;
  });
  afterEach(async () => {
    await o.cleanup();
  });

  /** Audit rows of one action for one correlation id, counted straight from the table. */
  async function auditCount(correlationId: string, action: string): Promise<number> {
    const rows = await o.db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM audit_log WHERE correlation_id = ? AND action = ?',
      [correlationId, action],
    );
    return rows[0]!.n;
  }

  describe('audit', () => {
    it('returns entries newest first, filtered by actor and limited', async () => {
      await store.audit.append(audit({ at: T0, actorId: 'U1', args: 'first' }));
      await store.audit.append(
        audit({
          at: T0 + 5,
          actorId: 'U2',
          args: 'second',
          channelId: null,
          detail: 'why',
          durationMs: null,
          env: null,
        }),
      );
      await store.audit.append(audit({ at: T0 + 5, actorId: 'U1', args: 'third (same ms, written later)' }));

      const all = await store.audit.latest({ limit: 10 });
      expect(all.map((e) => e.args)).toEqual(['third (same ms, written later)', 'second', 'first']);
      expect(all[1]).toEqual(
        audit({
          at: T0 + 5,
          actorId: 'U2',
          args: 'second',
          channelId: null,
          detail: 'why',
          durationMs: null,
          env: null,
        }),
      );

      expect((await store.audit.latest({ limit: 10, actorId: 'U1' })).map((e) => e.args)).toEqual([
        'third (same ms, written later)',
        'first',
      ]);
      expect((await store.audit.latest({ limit: 2 })).map((e) => e.args)).toEqual([
        'third (same ms, written later)',
        'second',
      ]);
      expect(await store.audit.latest({ limit: 5, actorId: 'NOBODY' })).toEqual([]);
    });
  });

  describe('approvals', () => {
    it('stores a request with its audit row and reads it back intact', async () => {
      const rec = approval('a1');
      await store.approvals.create(
        rec,
        audit({ correlationId: rec.correlationId, action: 'approval_requested', result: 'pending' }),
      );
      expect(await store.approvals.get('a1')).toEqual(rec);
      expect(await store.approvals.get('missing')).toBeNull();
      expect(await auditCount(rec.correlationId, 'approval_requested')).toBe(1);
    });

    it('writes no audit row when the approval itself cannot be stored', async () => {
      await store.approvals.create(approval('dup'), audit({ correlationId: 'corr-dup', action: 'approval_requested' }));
      await expect(
        store.approvals.create(approval('dup'), audit({ correlationId: 'corr-dup', action: 'approval_requested' })),
      ).rejects.toThrow();
      expect(await auditCount('corr-dup', 'approval_requested')).toBe(1);
    });

    it('moves pending → approved once; a repeat or a wrong source state changes nothing', async () => {
      await store.approvals.create(approval('a2'), audit());
      const decide = () =>
        store.approvals.transition(
          'a2',
          'pending',
          'approved',
          { decidedBy: 'UADM', decidedAt: T0 + 1000 },
          audit({ correlationId: 'corr-a2', action: 'approve' }),
        );
      expect(await decide()).toBe(true);
      expect(await decide()).toBe(false);
      expect(
        await store.approvals.transition(
          'a2',
          'pending',
          'rejected',
          { decidedBy: 'UX' },
          audit({ correlationId: 'corr-a2', action: 'reject' }),
        ),
      ).toBe(false);
      expect(
        await store.approvals.transition(
          'nope',
          'pending',
          'approved',
          {},
          audit({ correlationId: 'corr-a2', action: 'approve' }),
        ),
      ).toBe(false);

      const after = await store.approvals.get('a2');
      expect(after).toMatchObject({ state: 'approved', decidedBy: 'UADM', decidedAt: T0 + 1000, outcome: null });
      expect(await auditCount('corr-a2', 'approve')).toBe(1);
      expect(await auditCount('corr-a2', 'reject')).toBe(0);

      expect(
        await store.approvals.transition(
          'a2',
          'approved',
          'succeeded',
          { outcome: 'flag is on' },
          audit({ correlationId: 'corr-a2', action: 'execute' }),
        ),
      ).toBe(true);
      expect(await store.approvals.get('a2')).toMatchObject({
        state: 'succeeded',
        decidedBy: 'UADM',
        outcome: 'flag is on',
      });
    });

    it('lets exactly one of two instances win a simultaneous decision, every time', async () => {
      const other = (await o.reopen()).store;
      for (let i = 0; i < 20; i++) {
        const id = `race-${i}`;
        await store.approvals.create(approval(id), audit({ correlationId: `corr-${id}` }));
        const results = await Promise.all([
          store.approvals.transition(
            id,
            'pending',
            'approved',
            { decidedBy: 'UA', decidedAt: T0 },
            audit({ correlationId: `corr-${id}`, action: 'approve', actorId: 'UA' }),
          ),
          other.approvals.transition(
            id,
            'pending',
            'approved',
            { decidedBy: 'UB', decidedAt: T0 },
            audit({ correlationId: `corr-${id}`, action: 'approve', actorId: 'UB' }),
          ),
        ]);
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await auditCount(`corr-${id}`, 'approve')).toBe(1);
        expect((await other.approvals.get(id))?.decidedBy).toBe(results[0] ? 'UA' : 'UB');
      }
    });

    it('keeps a pending approval across a restart', async () => {
      await store.approvals.create(approval('keep'), audit());
      await store.approvals.setMessage('keep', 'C9', '1700000000.000100');
      await store.close();
      const restarted = (await o.reopen()).store;
      expect(await restarted.approvals.get('keep')).toEqual(
        approval('keep', { messageChannel: 'C9', messageTs: '1700000000.000100' }),
      );
    });

    it('lists pending approvals expired at or before now, oldest expiry first', async () => {
      await store.approvals.create(approval('late', { expiresAt: T0 + 500 }), audit());
      await store.approvals.create(approval('early', { expiresAt: T0 + 100 }), audit());
      await store.approvals.create(approval('future', { expiresAt: T0 + 10_000 }), audit());
      await store.approvals.create(approval('decided', { expiresAt: T0 + 100, state: 'approved' }), audit());
      expect((await store.approvals.listExpired(T0 + 500)).map((r) => r.id)).toEqual(['early', 'late']);
      expect(await store.approvals.listExpired(T0 + 99)).toEqual([]);
    });
  });
});
