import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import type { AuditEntry } from '../../src/ports/stores/audit.ts';
import type { ApprovalRecord } from '../../src/ports/stores/approvals.ts';
import type { LockInfo } from '../../src/ports/stores/locks.ts';
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

function approval(id: string, over: Partial<ApprovalRecord> = {}): ApprovalRecord {
  return {
    id,
    command: 'flag',
    input: { env: 'production', on: true, nested: [1, 'two', null] },
    plan: { steps: ['set AUTORISEN_ENABLED=true on capecraft'] },
    requesterId: 'UREQ',
    channelId: 'C1',
    env: 'production',
    approverRole: 'admin',
    state: 'pending',
    createdAt: T0,
    expiresAt: T0 + 30 * 60_000,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    messageChannel: null,
    messageTs: null,
    correlationId: `corr-${id}`,
    ...over,
  };
}

function lock(over: Partial<LockInfo> = {}): LockInfo {
  return {
    env: 'production',
    holderId: 'U1',
    kind: 'deploy',
    reason: 'deploy v42',
    token: 'tok-1',
    acquiredAt: T0,
    expiresAt: T0 + 60_000,
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

  describe('locks', () => {
    it('refuses a held lock, naming its holder', async () => {
      expect(await store.locks.acquire(lock())).toEqual({ ok: true, lock: lock() });
      const refused = await store.locks.acquire(
        lock({ holderId: 'U2', token: 'tok-2', kind: 'flag', reason: 'flag on', acquiredAt: T0 + 10 }),
      );
      expect(refused).toEqual({ ok: false, heldBy: lock() });
      expect(await store.locks.get('production', T0 + 10)).toEqual(lock());
      expect((await store.locks.acquire(lock({ env: 'staging', token: 'tok-s' }))).ok).toBe(true);
    });

    it('releases only with the right token, or by force', async () => {
      await store.locks.acquire(lock());
      expect(await store.locks.release('production', 'wrong-token')).toBe(false);
      expect(await store.locks.get('production', T0)).toEqual(lock());
      expect(await store.locks.release('production', 'tok-1')).toBe(true);
      expect(await store.locks.get('production', T0)).toBeNull();
      expect(await store.locks.release('production', 'tok-1')).toBe(false);

      await store.locks.acquire(lock({ kind: 'manual', expiresAt: null }));
      expect(await store.locks.release('production', null)).toBe(true);
      expect((await store.locks.acquire(lock({ holderId: 'U2', token: 'tok-2' }))).ok).toBe(true);
    });

    it('lets an expired lock be taken over, but never a manual one', async () => {
      await store.locks.acquire(lock({ expiresAt: T0 + 1000 }));
      expect((await store.locks.acquire(lock({ holderId: 'U2', token: 'tok-2', acquiredAt: T0 + 999 }))).ok).toBe(
        false,
      );
      expect(await store.locks.get('production', T0 + 1000)).toBeNull();
      const taken = await store.locks.acquire(
        lock({ holderId: 'U2', token: 'tok-2', acquiredAt: T0 + 1000, expiresAt: T0 + 5000 }),
      );
      expect(taken.ok).toBe(true);
      expect(await store.locks.release('production', 'tok-1')).toBe(false); // the old holder's token is dead

      await store.locks.acquire(lock({ env: 'staging', kind: 'manual', expiresAt: null }));
      const later = await store.locks.acquire(
        lock({ env: 'staging', holderId: 'U2', token: 'tok-3', acquiredAt: T0 + 365 * 86_400_000 }),
      );
      expect(later).toMatchObject({ ok: false, heldBy: { holderId: 'U1', kind: 'manual' } });
    });

    it('gives a contested lock to exactly one of two racing instances', async () => {
      const other = (await o.reopen()).store;
      for (let i = 0; i < 10; i++) {
        const env = `env-${i}`;
        const [a, b] = await Promise.all([
          store.locks.acquire(lock({ env, holderId: 'UA', token: `a-${i}` })),
          other.locks.acquire(lock({ env, holderId: 'UB', token: `b-${i}` })),
        ]);
        expect([a.ok, b.ok].filter(Boolean)).toHaveLength(1);
        const winner = a.ok ? a.lock : b.ok ? b.lock : null;
        const loser = a.ok ? b : a;
        expect(loser.ok ? null : loser.heldBy).toEqual(winner);
      }
    });
  });

  describe('dedup', () => {
    it('accepts a key once until it expires', async () => {
      expect(await store.dedup.claim('slack:Ev1', T0, 60_000)).toBe(true);
      expect(await store.dedup.claim('slack:Ev1', T0 + 1, 60_000)).toBe(false);
      expect(await store.dedup.claim('slack:Ev2', T0 + 1, 60_000)).toBe(true);
      expect(await store.dedup.claim('slack:Ev1', T0 + 59_999, 60_000)).toBe(false);
      expect(await store.dedup.claim('slack:Ev1', T0 + 60_000, 60_000)).toBe(true);
      expect(await store.dedup.claim('slack:Ev1', T0 + 60_001, 60_000)).toBe(false);
    });

    it('lets one of several racing claims win, across instances', async () => {
      const other = (await o.reopen()).store;
      for (let i = 0; i < 10; i++) {
        const key = `webhook:${i}`;
        const results = await Promise.all([store, other, store, other].map((s) => s.dedup.claim(key, T0, 60_000)));
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    });
  });

  it('answers ping, and fails it once closed', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
    expect(store.kind).toBe(database.name);
    await store.close();
    await expect(store.ping()).rejects.toMatchObject({ code: 'store_failed' });
  });
});
