import { afterEach, describe, expect, it } from 'vitest';
import type { BootedApp } from '../drivers/boot-app.ts';
import { freshAppSchema } from '../support/test-databases.ts';
import { bootDrift, driftVendors, T0, TestClock } from './drift-world.ts';
import { queueWorld, USERS } from './lock-queue-world.ts';

/**
 * Lock queues and the drift digest (issue 23 §3–4) with two instances on one PostgreSQL schema:
 * racing instances tell the first in line once and post the day's digest once.
 */
describe('team operations on PostgreSQL, two instances', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c();
    cleanups.length = 0;
  });

  it('an expired lock gives the first in line one turn, however many instances sweep at once', async () => {
    const db = await freshAppSchema('lockq');
    cleanups.push(() => db.drop());
    const w = await queueWorld({ databaseUrl: db.url });
    cleanups.push(() => w.b.stop());
    const other = await queueWorld({
      databaseUrl: db.url,
      slack: w.b.slack,
      heroku: w.b.heroku,
      github: w.b.github,
      clock: w.clock,
    });
    cleanups.push(() => other.b.stop());
    await w.hold('production', 'deploy', 60_000);
    expect((await w.type(USERS.ben, 'rollback production --queue')).text).toContain('number 1 in the queue');
    expect((await other.type(USERS.cy, 'rollback production --queue')).text).toContain('number 2 in the queue');
    w.clock.advance(61_000);
    const apps: BootedApp[] = [w.b, other.b];
    await Promise.all([...apps, ...apps].map((b) => b.app.ops.lockQueue.sweep()));
    expect(w.posts(USERS.ben, 'your turn in its queue')).toHaveLength(1);
    expect(w.posts(USERS.cy, 'your turn in its queue')).toEqual([]);
  });

  it('posts the day’s digest once when both instances look at its time', async () => {
    const db = await freshAppSchema('drift');
    cleanups.push(() => db.drop());
    const v = await driftVendors(false);
    cleanups.push(
      () => v.heroku.close(),
      () => v.github.close(),
    );
    const clock = new TestClock(T0);
    const a = await bootDrift(v, clock, { databaseUrl: db.url });
    cleanups.push(() => a.stop());
    const b = await bootDrift(v, clock, { databaseUrl: db.url, slack: a.slack });
    cleanups.push(() => b.stop());
    clock.advance(60 * 60_000);
    const ticks = await Promise.all([a, b, a, b].map((x) => x.app.ops.drift!.tick()));
    expect(ticks.filter((t) => t === 'posted')).toHaveLength(1);
    expect(ticks.filter((t) => t === 'done_today')).toHaveLength(3);
    expect(
      a.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text).includes('Drift digest')),
    ).toHaveLength(1);
  });
});
