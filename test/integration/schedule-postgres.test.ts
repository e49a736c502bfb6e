import { afterEach, describe, expect, it } from 'vitest';
import { freshAppSchema } from '../support/test-databases.ts';
import { MIN, scheduleWorld, type ScheduleWorld, USERS } from './schedule-world.ts';

/**
 * Scheduled flag changes (issue 23 §1) with two instances on one PostgreSQL schema: both sweep at
 * its time, twice each, and exactly one PATCH reaches Heroku (compare-and-set claim on the row).
 */
describe('scheduled flag changes on PostgreSQL, two instances', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it('runs a due change exactly once however many instances sweep at once', async () => {
    const db = await freshAppSchema('sched');
    cleanups.push(() => db.drop());
    const w: ScheduleWorld = await scheduleWorld({ databaseUrl: db.url });
    cleanups.push(() => w.close());
    const other = await w.another({ databaseUrl: db.url });
    await w.type(USERS.ana, 'flag on staging in 5m');
    await w.type(USERS.ana, 'flag off staging in 10m');
    w.clock.advance(5 * MIN);
    await Promise.all([w.b, other, w.b, other].map((b) => w.sweep(b)));
    expect(w.patches('autorisen')).toBe(1);
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    w.clock.advance(5 * MIN);
    await Promise.all([other, w.b, other, w.b].map((b) => w.sweep(b)));
    expect(w.patches('autorisen')).toBe(2);
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
    expect(w.thread('Ran on time')).toHaveLength(2);
  });
});
