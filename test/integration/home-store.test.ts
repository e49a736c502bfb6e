import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../../src/ports/stores/approvals.ts';
import { auditEntry } from '../../src/services/audit.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

/** What the Home tab reads and keeps (migration 070, approvals.listPending) on both engines. */
const T0 = Date.UTC(2026, 10, 29, 9, 0, 0);

function approval(id: string, createdAt: number, expiresAt: number): ApprovalRecord {
  return {
    id,
    command: 'flag on',
    input: { env: 'production' },
    plan: { title: `plan ${id}` },
    requesterId: 'UANA0001',
    channelId: 'CROLLOUT',
    env: 'production',
    approverRole: 'operator',
    state: 'pending',
    createdAt,
    expiresAt,
    decidedBy: null,
    decidedAt: null,
    outcome: null,
    messageChannel: null,
    messageTs: null,
    correlationId: `c-${id}`,
  };
}

const row = (id: string) =>
  auditEntry({
    at: T0,
    correlationId: `c-${id}`,
    actorId: 'UANA0001',
    channelId: 'CROLLOUT',
    command: 'flag on',
    action: 'approval_requested',
    result: 'pending',
  });

describe.each(testDatabases())('Home state on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('remembers who opened Home, latest open first; a late older open never moves one back', async () => {
    const v = o.store.homeViewers;
    await v.touch('U1', T0);
    await v.touch('U2', T0 + 1_000);
    await v.touch('U1', T0 + 2_000);
    await v.touch('U2', T0 + 500);
    expect(await v.recent(T0, 10)).toEqual(['U1', 'U2']);
    expect(await v.recent(T0 + 1_500, 10)).toEqual(['U1']);
    expect(await v.recent(T0, 1)).toEqual(['U1']);
    expect(await v.prune(T0 + 1_500)).toBe(1);
    expect(await v.recent(0, 10)).toEqual(['U1']);
  });

  it('lists pending, unexpired approvals oldest first; decided ones leave the list', async () => {
    const a = o.store.approvals;
    await a.create(approval('b', T0 + 10, T0 + 60_000), row('b'));
    await a.create(approval('a', T0, T0 + 60_000), row('a'));
    await a.create(approval('old', T0 - 10, T0 + 100), row('old'));
    expect((await a.listPending(T0 + 1_000, 10)).map((r) => r.id)).toEqual(['a', 'b']);
    expect((await a.listPending(T0, 10)).map((r) => r.id)).toEqual(['old', 'a', 'b']);
    expect((await a.listPending(T0, 1)).map((r) => r.id)).toEqual(['old']);
    await a.transition('a', 'pending', 'rejected', { decidedBy: 'UBEN0002', decidedAt: T0 + 5 }, row('a'));
    expect((await a.listPending(T0 + 1_000, 10)).map((r) => r.id)).toEqual(['b']);
  });
});
