import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alerts/alerts.ts';
import type { DeliveryRecord } from '../../src/ports/stores/alerts.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';
import { testAlert } from './alert-harness.ts';

/** Per-minute alert activity (migration 031) on both engines: counted at intake, read back, pruned. */
const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 10, 0, 0);

const alert = (fingerprint: string, status: Alert['status'] = 'firing'): Alert => testAlert(fingerprint, status);
let n = 0;
const delivery = (at: number, dedupKey = `k${++n}`): DeliveryRecord => ({
  id: `d${++n}`,
  source: 'alertmanager',
  dedupKey,
  resource: null,
  receivedAt: at,
  body: '{}',
  outcome: '1 alert',
});

describe.each(testDatabases())('alert activity on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('counts firing occurrences per minute in the intake transaction; duplicates and resolutions do not count', async () => {
    const s = o.store.alerts;
    await s.accept(delivery(T0 + 5_000), [{ alert: alert('disk'), channel: 'C1' }], [], []);
    await s.accept(
      delivery(T0 + 59_000),
      [
        { alert: alert('disk'), channel: 'C1' },
        { alert: alert('cpu'), channel: 'C1' },
      ],
      [],
      [],
    );
    await s.accept(delivery(T0 + 3 * MIN + 1), [{ alert: alert('disk'), channel: 'C1' }], [], []);
    expect(
      (await s.accept(delivery(T0 + 4 * MIN, 'same-key'), [{ alert: alert('disk'), channel: 'C1' }], [], [])).duplicate,
    ).toBe(false);
    expect(
      (await s.accept(delivery(T0 + 4 * MIN, 'same-key'), [{ alert: alert('disk'), channel: 'C1' }], [], [])).duplicate,
    ).toBe(true);
    await s.accept(delivery(T0 + 4 * MIN), [{ alert: alert('disk', 'resolved'), channel: 'C1' }], [], []);
    // Several at once, as a storm's group commit writes them.
    await s.acceptBatch(
      [1, 2, 3].map((i) => ({
        delivery: delivery(T0 + 4 * MIN + i),
        alerts: [{ alert: alert('disk'), channel: 'C1' }],
        notices: [],
        changes: [],
      })),
    );

    const a = o.store.alertActivity;
    expect(await a.occurrences('disk', T0)).toEqual([
      { minute: T0, count: 2 },
      { minute: T0 + 3 * MIN, count: 1 },
      { minute: T0 + 4 * MIN, count: 4 },
    ]);
    expect(await a.occurrences('disk', T0 + 3 * MIN + 30_000)).toEqual([
      { minute: T0 + 3 * MIN, count: 1 },
      { minute: T0 + 4 * MIN, count: 4 },
    ]);
    expect(await a.occurrences('cpu', T0)).toEqual([{ minute: T0, count: 1 }]);
    // The per-minute counts add up to the group's count.
    expect((await s.getGroup('disk'))!.count).toBe(7);
  });

  it('maps chart tokens back to fingerprints, idempotently', async () => {
    const a = o.store.alertActivity;
    await a.linkChart('0123456789abcdef0123456789abcdef', 'disk', T0);
    await a.linkChart('0123456789abcdef0123456789abcdef', 'disk', T0 + 1);
    expect(await a.chartFingerprint('0123456789abcdef0123456789abcdef')).toBe('disk');
    expect(await a.chartFingerprint('ffffffffffffffffffffffffffffffff')).toBeNull();
  });

  it('prunes minutes older than the retention window, and links of alerts that are gone', async () => {
    const s = o.store.alerts;
    const a = o.store.alertActivity;
    await s.accept(delivery(T0), [{ alert: alert('old'), channel: 'C1' }], [], []);
    await s.accept(delivery(T0 + 20 * DAY), [{ alert: alert('kept'), channel: 'C1' }], [], []);
    await s.accept(delivery(T0 + 20 * DAY + MIN), [{ alert: alert('kept'), channel: 'C1' }], [], []);
    for (const f of ['old', 'kept']) {
      const g = (await s.getGroup(f))!;
      await s.markGroupSynced(f, { version: g.version, count: g.count, shownSilence: null, messageTs: `1.${f}` });
    }
    await a.linkChart('a'.repeat(32), 'old', T0);
    await a.linkChart('b'.repeat(32), 'kept', T0);

    const r = await s.prune(T0 + 10 * DAY, T0 + 40 * DAY, 100);
    expect(r).toMatchObject({ groups: 1, occurrences: 1, chartLinks: 1 });
    expect(await a.occurrences('old', 0)).toEqual([]);
    expect(await a.occurrences('kept', 0)).toHaveLength(2);
    expect(await a.chartFingerprint('a'.repeat(32))).toBeNull();
    expect(await a.chartFingerprint('b'.repeat(32))).toBe('kept');
  });
});
