import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDb } from '../../src/adapters/store/sqlite.ts';
import { guardWorld, type GuardWorld } from './guard-harness.ts';

/**
 * The guard's timer fires `sweep()` with nothing awaiting it: a rejection there would be unhandled,
 * and Node 20 exits on an unhandled rejection. A storage failure must be logged and the sweep
 * answer, so one bad read cannot take the bot (and its kill switch) down.
 */
let w: GuardWorld;
afterEach(async () => w?.stop());

describe('the guard when storage fails', () => {
  it('a sweep whose store read fails resolves (logged), and the next sweep works again', async () => {
    w = await guardWorld();
    await w.flagOn();
    await w.baseline();
    expect(Object.keys(await w.sweep())).toHaveLength(1);

    const db = openSqliteDb(w.b.sqlitePath);
    await db.run('ALTER TABLE guards RENAME TO guards_away');
    await expect(w.sweep()).resolves.toEqual({});

    await db.run('ALTER TABLE guards_away RENAME TO guards');
    await db.close();
    expect(Object.keys(await w.sweep())).toHaveLength(1);
  });
});
