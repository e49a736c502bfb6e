import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyCounts } from '../../src/core/guard/guard-types.ts';
import type { GuardRecord } from '../../src/ports/stores/guards.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

/** Guards (issue 21, migration 090) on both engines: create once per change, compare-and-set moves. */
const T0 = 1_760_000_000_000;

function guard(over: Partial<GuardRecord> = {}): Omit<GuardRecord, 'version'> {
  return {
    id: 'g1',
    env: 'production',
    kind: 'flag',
    changeKey: 'flag:production:v42',
    label: 'FEATURE_AUTORISEN went on',
    action: 'flag_off',
    state: 'watching',
    startedAt: T0,
    endsAt: T0 + 30 * 60_000,
    baseline: {
      counts: { ...emptyCounts(60), requests: 72_000 },
      p95Ms: 270,
      p99Ms: 480,
      dispersion: { error_ratio: 1.2 },
    },
    thread: { channel: 'C1', ts: '1.2' },
    releaseVersion: 42,
    verdict: null,
    note: null,
    lastLookAt: null,
    endedAt: null,
    endedBy: null,
    ...over,
  };
}

describe.each(testDatabases())('guards on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('a change gets one guard; its baseline round-trips exactly', async () => {
    expect(await o.store.guards.create(guard())).toBe(true);
    expect(await o.store.guards.create(guard({ id: 'g2' }))).toBe(false);
    const g = await o.store.guards.get('g1');
    expect(g).toMatchObject({ ...guard(), version: 1 });
    expect(await o.store.guards.active()).toHaveLength(1);
    expect(await o.store.guards.active('staging')).toHaveLength(0);
  });

  it('compare-and-set: of two instances moving the same version, one wins', async () => {
    await o.store.guards.create(guard());
    const verdict = { status: 'ok' as const, metrics: [], worst: null };
    const [a, b] = await Promise.all([
      o.store.guards.update('g1', 1, { state: 'tripped', verdict }),
      o.store.guards.update('g1', 1, { state: 'stood_down', note: 'flag changed' }),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const g = await o.store.guards.get('g1');
    expect(g!.version).toBe(2);
    expect(g!.state === 'tripped' ? g!.verdict : g!.note).toEqual(g!.state === 'tripped' ? verdict : 'flag changed');
  });

  it('ended guards leave the active list and stay in the recent one', async () => {
    await o.store.guards.create(guard());
    await o.store.guards.create(guard({ id: 'g2', changeKey: 'deploy:r1', kind: 'deploy', startedAt: T0 + 1000 }));
    await o.store.guards.update('g1', 1, { state: 'passed', endedAt: T0 + 1_800_000, endedBy: 'guard' });
    expect((await o.store.guards.active()).map((g) => g.id)).toEqual(['g2']);
    expect((await o.store.guards.recent('production', T0, 10)).map((g) => [g.id, g.state])).toEqual([
      ['g2', 'watching'],
      ['g1', 'passed'],
    ]);
  });
});
