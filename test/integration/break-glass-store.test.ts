import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewBreakGlass } from '../../src/ports/stores/break-glass.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

/** Break-glass rows (migration 130) on both engines: confirmed once, reviewed by someone else, reminded once. */
const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const HOUR = 60 * 60_000;

const row = (id = 'k7Qm2ZxV9pLw4Rt8Yb1N'): NewBreakGlass => ({
  id,
  actorId: 'UADA',
  channelId: 'CROLLOUT',
  command: 'flag on',
  commandText: 'flag on production --break-glass --reason "down"',
  env: 'production',
  reason: 'down',
  createdAt: T0,
  expiresAt: T0 + 10 * 60_000,
});

describe.each(testDatabases())('break-glass store on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('confirms once, only by its actor and before it expires, across two instances', async () => {
    const s = o.store.breakGlass;
    expect(await s.create(row())).toMatchObject({ state: 'pending', reviewState: 'none', reminders: 0 });
    await s.create(row('late0000000000000000'));
    expect(await s.confirm('late0000000000000000', 'UADA', T0 + 10 * 60_000)).toBeNull();
    expect(await s.confirm(row().id, 'UBEN', T0 + 1)).toBeNull();
    const other = (await o.reopen()).store.breakGlass;
    const both = await Promise.all([s.confirm(row().id, 'UADA', T0 + 2), other.confirm(row().id, 'UADA', T0 + 2)]);
    expect(both.filter((r) => r !== null)).toHaveLength(1);
    expect(await s.get(row().id)).toMatchObject({ state: 'confirmed', confirmedAt: T0 + 2 });
  });

  it('a review opens when it ran, is reminded once per interval across instances, and is acknowledged by someone else only', async () => {
    const s = o.store.breakGlass;
    await s.create(row());
    await s.confirm(row().id, 'UADA', T0 + 1);
    await s.finish(row().id, 'flag on', T0 + HOUR);
    await s.setReviewMessage(row().id, 'CROLLOUT', '111.222');
    expect(await s.dueReviews(T0 + HOUR - 1)).toEqual([]);
    expect((await s.dueReviews(T0 + HOUR)).map((r) => r.id)).toEqual([row().id]);
    const other = (await o.reopen()).store.breakGlass;
    const claims = await Promise.all([
      s.claimReminder(row().id, T0 + HOUR, T0 + 2 * HOUR),
      other.claimReminder(row().id, T0 + HOUR, T0 + 2 * HOUR),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await s.dueReviews(T0 + HOUR + 1)).toEqual([]);
    expect(await s.acknowledge(row().id, 'UADA', T0 + HOUR)).toBeNull();
    expect(await s.acknowledge(row().id, 'UBEN', T0 + HOUR)).toMatchObject({
      reviewState: 'acknowledged',
      reviewedBy: 'UBEN',
      reminders: 1,
      reviewChannel: 'CROLLOUT',
      reviewTs: '111.222',
    });
    expect(await other.acknowledge(row().id, 'UCY', T0 + HOUR)).toBeNull();
    expect(await s.openReviews()).toEqual([]);
    expect(await s.dueReviews(T0 + 9 * HOUR)).toEqual([]);
  });

  it('a change refused before it ran finishes without a review', async () => {
    const s = o.store.breakGlass;
    await s.create(row());
    await s.confirm(row().id, 'UADA', T0 + 1);
    await s.finish(row().id, 'refused: locked', null);
    expect(await s.get(row().id)).toMatchObject({ state: 'done', reviewState: 'none', outcome: 'refused: locked' });
    expect(await s.openReviews()).toEqual([]);
  });
});
