import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alerts/alerts.ts';
import type { DeliveryRecord } from '../../src/ports/stores/alerts.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';
import { testAlert } from './alert-harness.ts';

/** The alert sub-store contract, on SQLite and PostgreSQL alike, including two "instances" racing. */
const alert = (fingerprint: string, status: Alert['status'] = 'firing'): Alert =>
  testAlert(fingerprint, status, 'sentry');
let n = 0;
const delivery = (dedupKey = `k${++n}`, at = 1_000): DeliveryRecord => ({
  id: `d${++n}`,
  source: 'sentry',
  dedupKey,
  resource: 'event_alert',
  receivedAt: at,
  body: '{}',
  outcome: '1 alert',
});

describe.each(testDatabases())('alert store on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('stores a delivery once per dedup key and counts repeats of a fingerprint', async () => {
    const s = o.store.alerts;
    expect(await s.accept(delivery('same'), [{ alert: alert('f1'), channel: 'C1' }], [], [])).toEqual({
      duplicate: false,
    });
    expect(await s.accept(delivery('same'), [{ alert: alert('f1'), channel: 'C1' }], [], [])).toEqual({
      duplicate: true,
    });
    await s.accept(
      delivery(),
      [{ alert: alert('f1'), channel: 'C1' }],
      [{ key: 'n1', channel: 'C2', env: null, text: 'Release v1' }],
      [],
    );
    expect(await s.getGroup('f1')).toMatchObject({
      count: 2,
      status: 'firing',
      version: 2,
      syncedVersion: 0,
      messageTs: null,
    });
    expect(await s.stats()).toMatchObject({ deliveries: 2, groups: 1, events: 2, pendingGroups: 1, pendingNotices: 1 });
  });

  it('never loses a count when two instances accept concurrently', async () => {
    const other = await o.reopen();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? o.store : other.store).alerts.accept(delivery(), [{ alert: alert('hot'), channel: 'C1' }], [], []),
      ),
    );
    expect((await o.store.alerts.getGroup('hot'))!.count).toBe(40);
  });

  it('claims a post for one worker only, and marks synced by compare-and-set on the version', async () => {
    const s = o.store.alerts;
    const other = (await o.reopen()).store.alerts;
    await s.accept(delivery(), [{ alert: alert('f2'), channel: 'C1' }], [], []);
    const results = await Promise.all([s.claimPost('group', 'f2', 10, 100), other.claimPost('group', 'f2', 10, 100)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await s.claimPost('group', 'f2', 101, 200)).toBe(true); // the first claim lapsed
    const g = (await s.getGroup('f2'))!;
    expect(
      await s.markGroupSynced('f2', {
        version: g.version,
        count: g.count,
        shownSilence: null,
        messageTs: '1.1',
        context: 'ctx',
      }),
    ).toBe(true);
    expect(
      await s.markGroupSynced('f2', { version: g.version, count: g.count, shownSilence: null, messageTs: '9.9' }),
    ).toBe(false);
    expect(await s.pendingGroups(0, 10)).toHaveLength(0);
    await s.accept(delivery(), [{ alert: alert('f2', 'resolved'), channel: 'C1' }], [], []);
    expect(await s.getGroup('f2')).toMatchObject({
      status: 'resolved',
      messageTs: '1.1',
      context: 'ctx',
      resolvedBy: 'Sentry',
    });
    expect(await s.pendingGroups(0, 10)).toHaveLength(1);
  });

  it('leases a channel to one owner until it lapses', async () => {
    const s = o.store.alerts;
    expect(await s.leaseChannel('C1', 'a', 0, 100)).toBe(true);
    expect(await s.leaseChannel('C1', 'b', 50, 150)).toBe(false);
    expect(await s.leaseChannel('C1', 'a', 60, 160)).toBe(true);
    expect(await s.leaseChannel('C1', 'b', 161, 300)).toBe(true);
  });

  it('moves unposted groups into a digest and tracks its changes', async () => {
    const s = o.store.alerts;
    for (const f of ['a', 'b', 'c']) await s.accept(delivery(), [{ alert: alert(f), channel: 'C1' }], [], []);
    expect(await s.addToDigest({ id: 'dg1', channel: 'C1', createdAt: 5 }, ['a', 'b', 'c'])).toBe(3);
    expect(await s.pendingGroups(0, 10)).toHaveLength(0);
    expect(await s.pendingDigests(10)).toMatchObject([{ id: 'dg1', messageTs: null }]);
    expect(await s.markDigestSynced('dg1', 1, '2.2')).toBe(true);
    expect(await s.openDigest('C1', 0)).toMatchObject({ id: 'dg1', messageTs: '2.2' });
    expect(await s.pendingDigests(10)).toEqual([]);
    await s.accept(delivery(), [{ alert: alert('a'), channel: 'C1' }], [], []);
    // A repeat of a digested alert makes the digest pending, not the group.
    expect(await s.pendingGroups(0, 10)).toHaveLength(0);
    expect(await s.pendingDigests(10)).toMatchObject([{ id: 'dg1', version: 1, syncedVersion: 1 }]);
    expect(await s.touchDigest('dg1')).toBe(2);
    expect(await s.touchDigest('dg1')).toBeNull(); // nothing changed since
    expect(await s.getGroup('a')).toMatchObject({ count: 2, syncedCount: 2 });
    expect(await s.pendingDigests(10)).toMatchObject([{ id: 'dg1', version: 2, syncedVersion: 1 }]);
    const summary = await s.digestSummary('dg1', 2);
    expect(summary).toMatchObject({ groups: 3, events: 4, firing: 3 });
    expect(summary.top.map((g) => [g.fingerprint, g.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
  });

  it('records acknowledgements and silences, and lists open alerts', async () => {
    const s = o.store.alerts;
    await s.accept(
      delivery(),
      [
        { alert: alert('x'), channel: 'C1' },
        { alert: alert('y'), channel: 'C1' },
      ],
      [],
      [],
    );
    expect(await s.acknowledge('x', 'U1', 7)).toMatchObject({ ackedBy: 'U1', ackedAt: 7 });
    expect(await s.acknowledge('x', 'U2', 8)).toMatchObject({ ackedBy: 'U1' });
    expect((await s.listOpen('production', 10)).map((g) => g.fingerprint)).toEqual(['y']);
    expect(await s.listOpen('staging', 10)).toEqual([]);
    const g = await s.silence({ id: 's1', fingerprint: 'y', until: 5_000, by: 'U1', at: 10 });
    expect(g).toMatchObject({ silencedUntil: 5_000, silencedBy: 'U1' });
  });
});
