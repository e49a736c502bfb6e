import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshAppSchema } from '../support/test-databases.ts';
import { guardWorld, type GuardWorld } from './guard-harness.ts';

/**
 * Issue 21 §5 on PostgreSQL, as several dynos run it: two instances on one database look at the
 * same guard at once; the compare-and-set lets exactly one trip it (one PATCH, one announcement).
 */
describe('the guard on PostgreSQL with two instances', () => {
  let w: GuardWorld;
  let db: Awaited<ReturnType<typeof freshAppSchema>>;
  beforeEach(async () => {
    db = await freshAppSchema('guard_e2e');
  });
  afterEach(async () => {
    await w?.stop();
    await db.drop();
  });

  it('one trips it, the other loses the compare-and-set; the baseline is shared', async () => {
    w = await guardWorld({ databaseUrl: db.url });
    expect(w.b.app.store.kind).toBe('postgres');
    await w.flagOn();
    await w.baseline();
    const other = await w.second();
    // Both discover the flip at once: one guard row (unique change key).
    await Promise.all([w.sweep(), other.app.guard.sweep(w.clock.now())]);
    expect(await w.b.app.store.guards.active('staging')).toHaveLength(1);
    for (let i = 0; i < 3; i++) await w.post(w.flipAt + 1000 + i * 10_000, { n: 20, errorsInside: 5 });
    w.clock.advance(30_000);
    const [a, b] = await Promise.all([w.sweep(), other.app.guard.sweep(w.clock.now())]);
    expect([...Object.values(a), ...Object.values(b)].filter((r) => r === 'tripped')).toHaveLength(1);
    expect(w.patches()).toBe(1);
    expect(w.flag()).toBe('false');
    const posts = w.b.slack.callsTo('chat.postMessage').map((c) => String(c.args.text));
    expect(posts.filter((t) => t.includes('The guard turned FEATURE_AUTORISEN off'))).toHaveLength(1);
  });
});
