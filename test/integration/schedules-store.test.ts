import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewSchedule } from '../../src/ports/stores/schedules.ts';
import { type OpenedStore, testDatabases } from '../support/test-databases.ts';

/** Scheduled flag changes (migration 120) on both engines: every move is a compare-and-set. */
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);

const schedule = (id: string, runAt: number, over: Partial<NewSchedule> = {}): NewSchedule => ({
  id,
  env: 'production',
  target: 'on',
  reason: 'launch "v2" <now>',
  force: false,
  runAt,
  requesterId: 'UANA',
  channelId: 'CROLLOUT',
  approvalId: 'appr-1',
  approvedBy: ['UBEN', 'UCY'],
  createdAt: T0,
  quietSince: T0,
  correlationId: 'corr-1',
  ...over,
});

describe.each(testDatabases())('scheduled changes on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('stores a schedule as given and lists the open ones soonest first', async () => {
    const s = o.store.schedules;
    const created = await s.create(schedule('S2', T0 + 7200_000, { force: true, approvalId: null, approvedBy: [] }));
    expect(created).toMatchObject({ id: 'S2', state: 'scheduled', force: true, approvedBy: [], askedAt: null });
    await s.create(schedule('S1', T0 + 3600_000));
    expect(await s.get('S1')).toMatchObject({
      reason: 'launch "v2" <now>',
      approvedBy: ['UBEN', 'UCY'],
      approvalId: 'appr-1',
      messageTs: null,
    });
    await s.setMessage('S1', 'CROLLOUT', '1700000000.000100');
    expect(await s.get('S1')).toMatchObject({ messageChannel: 'CROLLOUT', messageTs: '1700000000.000100' });
    expect((await s.open()).map((r) => r.id)).toEqual(['S1', 'S2']);
    expect(await s.get('nope')).toBeNull();
  });

  it('claims once: racing claims of one row give one winner; finished rows leave the open list', async () => {
    const s = o.store.schedules;
    await s.create(schedule('S1', T0));
    const claims = await Promise.all(
      ['a', 'b', 'c', 'd'].map((who) => s.transition('S1', 'scheduled', 'running', { claimedAt: T0, claimedBy: who })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await s.transition('S1', 'scheduled', 'cancelled', { finishedAt: T0 })).toBe(false);
    expect(await s.transition('S1', 'running', 'ran', { finishedAt: T0 + 5, outcome: 'Ran on time.' })).toBe(true);
    expect(await s.get('S1')).toMatchObject({
      state: 'ran',
      claimedAt: T0,
      finishedAt: T0 + 5,
      outcome: 'Ran on time.',
    });
    expect(await s.open()).toEqual([]);
    expect((await s.finished(T0, 10)).map((r) => r.id)).toEqual(['S1']);
    expect(await s.finished(T0 + 6, 10)).toEqual([]);
  });

  it('asks once after a flag off; "still run it" clears the question and moves quietSince on', async () => {
    const s = o.store.schedules;
    await s.create(schedule('S1', T0 + 3600_000));
    expect(await s.keep('S1', T0 + 1)).toBe(false);
    expect(await Promise.all([s.ask('S1', T0 + 2), s.ask('S1', T0 + 3)])).toEqual(
      expect.arrayContaining([true, false]),
    );
    expect((await s.get('S1'))?.askedAt).toBeGreaterThanOrEqual(T0 + 2);
    expect(await s.keep('S1', T0 + 10)).toBe(true);
    expect(await s.get('S1')).toMatchObject({ askedAt: null, quietSince: T0 + 10 });
    // Once it no longer waits, nothing is asked.
    await s.transition('S1', 'scheduled', 'cancelled', { finishedAt: T0 + 11 });
    expect(await s.ask('S1', T0 + 12)).toBe(false);
  });
});
