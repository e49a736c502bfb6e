import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import type { AuditEntry } from '../../src/ports/stores/audit.ts';
import type { ApprovalRecord } from '../../src/ports/stores/approvals.ts';
import { APPROVAL_T0, approval } from '../support/approval-fixture.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

/** N-of-M approvals in the store (issue 23 §5, migration 110), on SQLite and PostgreSQL. */
const T0 = APPROVAL_T0;
const ok = { ok: true } as const;

function request(id: string, needed: number): ApprovalRecord {
  return approval(id, {
    command: 'deploy',
    input: { env: 'production' },
    approverRole: 'operator',
    approvalsNeeded: needed,
  });
}

function row(actorId: string, id: string): AuditEntry {
  return {
    at: T0,
    correlationId: `corr-${id}`,
    actorId,
    channelId: 'C1',
    command: 'deploy',
    args: `approval ${id}`,
    action: 'approve',
    result: 'counted',
    detail: null,
    durationMs: null,
    env: 'production',
  };
}

describe.each(testDatabases())('approval votes on $name', (database) => {
  let o: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    o = await database.open();
    store = o.store;
  });
  afterEach(async () => o.cleanup());

  const auditOf = async (id: string) =>
    (
      await o.db.query<{ actor_id: string; result: string; detail: string }>(
        "SELECT actor_id, result, detail FROM audit_log WHERE correlation_id = ? AND action = 'approve' ORDER BY id",
        [`corr-${id}`],
      )
    ).map((r) => `${r.actor_id} ${r.result} ${r.detail}`);

  it('counts distinct approvers, ignores the requester and repeats, and approves once at the N-th', async () => {
    await store.approvals.create(request('a1', 2), { ...row('UREQ', 'a1'), action: 'approval_requested' });
    expect(await store.approvals.vote('a1', 'UREQ', T0, ok, row('UREQ', 'a1'))).toMatchObject({ kind: 'refused' });
    expect(await store.approvals.vote('a1', 'UA', T0, ok, row('UA', 'a1'))).toMatchObject({
      kind: 'counted',
      remaining: 1,
    });
    expect(await store.approvals.vote('a1', 'UA', T0 + 1, ok, row('UA', 'a1'))).toMatchObject({ kind: 'duplicate' });
    expect((await store.approvals.get('a1'))?.state).toBe('pending');
    expect(await store.approvals.vote('a1', 'UB', T0 + 2, ok, row('UB', 'a1'))).toEqual({
      kind: 'complete',
      approvers: ['UA', 'UB'],
    });
    expect(await store.approvals.get('a1')).toMatchObject({ state: 'approved', decidedBy: 'UB', decidedAt: T0 + 2 });
    expect(await store.approvals.vote('a1', 'UC', T0 + 3, ok, row('UC', 'a1'))).toEqual({ kind: 'closed' });
    expect(await store.approvals.approvers('a1')).toEqual(['UA', 'UB']);
    expect(await auditOf('a1')).toEqual(['UA counted 1 of 2', 'UB approved 2 of 2']);
  });

  it('refuses an ineligible approver without counting, and an expired request is closed', async () => {
    await store.approvals.create(request('a2', 2), { ...row('UREQ', 'a2'), action: 'approval_requested' });
    expect(await store.approvals.vote('a2', 'UA', T0, { ok: false, reason: 'not on call' }, row('UA', 'a2'))).toEqual({
      kind: 'refused',
      reason: 'not on call',
    });
    expect(await store.approvals.approvers('a2')).toEqual([]);
    expect(await store.approvals.vote('a2', 'UB', T0 + 30 * 60_000, ok, row('UB', 'a2'))).toEqual({ kind: 'closed' });
  });

  it('two instances clicking at the same moment: both count, the request is approved exactly once', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `race${round}`;
      await store.approvals.create(request(id, 2), { ...row('UREQ', id), action: 'approval_requested' });
      const other = await o.reopen();
      const verdicts = await Promise.all([
        store.approvals.vote(id, 'UA', T0, ok, row('UA', id)),
        other.store.approvals.vote(id, 'UB', T0, ok, row('UB', id)),
      ]);
      expect(verdicts.map((v) => v.kind).sort()).toEqual(['complete', 'counted']);
      expect((await store.approvals.get(id))?.state).toBe('approved');
      expect((await auditOf(id)).filter((r) => r.includes(' approved '))).toHaveLength(1);
      await other.store.close();
    }
  });

  it('a restart between the first and the second approval keeps the first', async () => {
    await store.approvals.create(request('a3', 2), { ...row('UREQ', 'a3'), action: 'approval_requested' });
    await store.approvals.vote('a3', 'UA', T0, ok, row('UA', 'a3'));
    await store.close();
    const restarted = (await o.reopen()).store;
    expect(await restarted.approvals.get('a3')).toMatchObject({ state: 'pending', approvalsNeeded: 2 });
    expect(await restarted.approvals.vote('a3', 'UB', T0 + 1, ok, row('UB', 'a3'))).toMatchObject({ kind: 'complete' });
  });
});
