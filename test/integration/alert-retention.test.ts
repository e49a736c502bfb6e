import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/alerts/alerts.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { ChatPort } from '../../src/ports/chat.ts';
import type { DeliveryRecord } from '../../src/ports/stores/alerts.ts';
import { startAlertDelivery } from '../../src/services/alerts/delivery.ts';
import { testDatabase, testDatabases, type OpenedStore } from '../support/test-databases.ts';
import { CONFIG_YAML, silentLog, testConfig, testIds, testAlert } from './alert-harness.ts';

/** Retention (alerts.retention_days): old rows go in bounded batches; nothing Slack still needs does. */
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

const alert = (fingerprint: string, status: Alert['status'] = 'firing'): Alert => testAlert(fingerprint, status);
let n = 0;
const delivery = (at: number): DeliveryRecord => ({
  id: `d${++n}`,
  source: 'alertmanager',
  dedupKey: `k${n}`,
  resource: null,
  receivedAt: at,
  body: '{}',
  outcome: '1 alert',
});

/** Mark a group shown in Slack (as the worker would after posting it). */
async function shown(o: OpenedStore, fingerprint: string): Promise<void> {
  const g = (await o.store.alerts.getGroup(fingerprint))!;
  await o.store.alerts.markGroupSynced(fingerprint, {
    version: g.version,
    count: g.count,
    shownSilence: g.silencedUntil,
    messageTs: `1.${fingerprint}`,
  });
}

describe.each(testDatabases())('alert retention on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('deletes old deliveries a batch at a time and keeps recent ones', async () => {
    const s = o.store.alerts;
    for (let i = 0; i < 5; i++) await s.accept(delivery(T0 + i), [], [], []);
    await s.accept(delivery(T0 + 40 * DAY), [], [], []);
    const cutoff = T0 + 10 * DAY;
    expect((await s.prune(cutoff, T0 + 40 * DAY, 2)).deliveries).toBe(2);
    expect((await s.stats()).deliveries).toBe(4);
    expect((await s.prune(cutoff, T0 + 40 * DAY, 2)).deliveries).toBe(2);
    expect((await s.prune(cutoff, T0 + 40 * DAY, 2)).deliveries).toBe(1);
    expect((await s.prune(cutoff, T0 + 40 * DAY, 2)).deliveries).toBe(0);
    expect((await s.stats()).deliveries).toBe(1);
  });

  it('removes settled old groups but never one Slack is behind on or one still silenced', async () => {
    const s = o.store.alerts;
    const now = T0 + 40 * DAY;
    await s.accept(delivery(T0), [{ alert: alert('resolved-old'), channel: 'C1' }], [], []);
    await s.accept(delivery(T0 + DAY), [{ alert: alert('resolved-old', 'resolved'), channel: 'C1' }], [], []);
    await s.accept(delivery(T0), [{ alert: alert('stale-firing'), channel: 'C1' }], [], []);
    await s.accept(delivery(T0), [{ alert: alert('unposted'), channel: 'C1' }], [], []);
    await s.accept(delivery(T0), [{ alert: alert('silenced'), channel: 'C1' }], [], []);
    await s.accept(delivery(now - DAY), [{ alert: alert('recent'), channel: 'C1' }], [], []);
    for (const f of ['resolved-old', 'stale-firing', 'silenced', 'recent']) await shown(o, f);
    await s.silence({ id: 's1', fingerprint: 'silenced', until: now + DAY, by: 'U1', at: T0 });
    await shown(o, 'silenced');
    await s.accept(delivery(now - DAY), [], [{ key: 'n-old', channel: 'C2', env: null, text: 'Release v1' }], []);
    await s.markNoticePosted('n-old', '2.2', T0);

    const r = await s.prune(T0 + 10 * DAY, now, 100);
    expect(r).toMatchObject({ groups: 2, notices: 1 });
    const left = await Promise.all(
      ['resolved-old', 'stale-firing', 'unposted', 'silenced', 'recent'].map(async (f) => [
        f,
        (await s.getGroup(f)) !== null,
      ]),
    );
    expect(Object.fromEntries(left)).toEqual({
      'resolved-old': false,
      'stale-firing': false,
      unposted: true,
      silenced: true,
      recent: true,
    });
    expect((await s.listOpen(null, 10)).map((g) => g.fingerprint).sort()).toEqual(['recent', 'silenced', 'unposted']);
  });
});

describe('the delivery worker prunes on its own', () => {
  let o: OpenedStore;
  afterEach(async () => o?.cleanup());

  it('removes deliveries older than alerts.retention_days in bounded passes', async () => {
    o = await testDatabase('sqlite').open();
    const s = o.store.alerts;
    await s.accept(delivery(T0 - 20 * DAY), [], [], []);
    for (let i = 0; i < 30; i++) await s.accept(delivery(T0 + i), [], [], []);
    await s.accept(delivery(T0 + 39 * DAY), [], [], []);
    let now = T0 + 20 * DAY;
    const clock: Clock = { now: () => now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    const chat: ChatPort = {
      post: async () => ({ channel: 'C', ts: '1.1' }),
      update: async () => undefined,
    } as unknown as ChatPort;
    const config = testConfig(undefined, CONFIG_YAML.replace('context_window_minutes: 60', 'retention_days: 30'));
    expect(config.alerts.retentionDays).toBe(30);
    const worker = startAlertDelivery({
      store: o.store,
      chat,
      clock,
      ids: testIds,
      log: silentLog,
      config,
      options: { idlePollMs: 10, minStepGapMs: 5, pruneEveryMs: 20, pruneBatch: 4 },
    });
    try {
      // 20 days in: only the delivery from 40 days before is past 30 days.
      await waitFor(async () => (await s.stats()).deliveries === 31, 'one delivery pruned at day 20');
      now = T0 + 40 * DAY;
      await waitFor(async () => (await s.stats()).deliveries === 1, 'the 30 old deliveries pruned at day 40');
    } finally {
      await worker.stop();
    }
  });
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for: ${what}`);
}
