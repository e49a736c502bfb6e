import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.ts';
import { toPgPlaceholders } from '../../src/adapters/store/postgres.ts';
import { openSqliteDb } from '../../src/adapters/store/sqlite.ts';
import { testDatabases, type OpenedDb } from '../support/test-databases.ts';

describe.each(testDatabases())('Db adapter on $name', (database) => {
  let o: OpenedDb;
  let db: Db;
  beforeEach(async () => {
    o = await database.openDb();
    db = o.db;
    await db.run('CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT, flag INTEGER)');
  });
  afterEach(async () => {
    await o.cleanup();
  });

  it('binds ? placeholders, returns BIGINT as a number and booleans as 0/1', async () => {
    expect(await db.run('INSERT INTO t (k, n, flag) VALUES (?, ?, ?)', ['a', 1_760_000_000_123, true])).toEqual({
      changes: 1,
    });
    expect(await db.query("SELECT k, n, flag, '?' AS literal FROM t WHERE k = ?", ['a'])).toEqual([
      { k: 'a', n: 1_760_000_000_123, flag: 1, literal: '?' },
    ]);
    expect(await db.run('UPDATE t SET n = n + 1 WHERE k = ?', ['missing'])).toEqual({ changes: 0 });
    expect(await db.query('INSERT INTO t (k, n) VALUES (?, ?) RETURNING k', ['b', 2])).toEqual([{ k: 'b' }]);
  });

  it('commits a transaction that awaits inside, and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', ['kept', 1]);
      await new Promise((r) => setTimeout(r, 5));
      await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', ['kept2', 2]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', ['gone', 3]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await db.query<{ k: string }>('SELECT k FROM t ORDER BY k')).map((r) => r.k)).toEqual(['kept', 'kept2']);
  });

  it('keeps other callers out of an open transaction until it commits', async () => {
    let inside!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = db.transaction(async (t) => {
      await t.run('INSERT INTO t (k, n) VALUES (?, ?)', ['x', 1]);
      inside();
      await gate;
      await t.run('UPDATE t SET n = 2 WHERE k = ?', ['x']);
    });
    await entered;
    const read = db.query<{ n: number }>('SELECT n FROM t WHERE k = ?', ['x']);
    release();
    await tx;
    // SQLite: the read waited for the commit. PostgreSQL: it saw nothing uncommitted (or the commit).
    const rows = await read;
    expect(rows.length === 0 || rows[0]!.n === 2).toBe(true);
    expect(await db.query('SELECT n FROM t WHERE k = ?', ['x'])).toEqual([{ n: 2 }]);
  });

  it('undoes only the inner part of a failed nested transaction', async () => {
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (k) VALUES (?)', ['outer']);
      await expect(
        tx.transaction(async (inner) => {
          await inner.run('INSERT INTO t (k) VALUES (?)', ['inner']);
          throw new Error('inner failed');
        }),
      ).rejects.toThrow('inner failed');
    });
    expect(await db.query('SELECT k FROM t')).toEqual([{ k: 'outer' }]);
  });

  it('refuses the outer handle inside its own transaction instead of hanging', async () => {
    await expect(db.transaction(async () => db.query('SELECT 1'))).rejects.toMatchObject({ code: 'internal' });
    expect(await db.query('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('sees what a second instance committed', async () => {
    const other = await o.reopen();
    await other.run('INSERT INTO t (k, n) VALUES (?, ?)', ['from-other', 7]);
    expect(await db.query('SELECT n FROM t WHERE k = ?', ['from-other'])).toEqual([{ n: 7 }]);
  });
});

describe('SQLite specifics', () => {
  it('works in memory', async () => {
    const db = openSqliteDb(':memory:');
    await db.run('CREATE TABLE m (v TEXT)');
    await db.run('INSERT INTO m (v) VALUES (?)', ['hello']);
    expect(await db.query('SELECT v FROM m')).toEqual([{ v: 'hello' }]);
    await db.close();
    await expect(db.query('SELECT 1')).rejects.toMatchObject({ code: 'store_failed' });
  });
});

describe('SQLite, two connections on one file', () => {
  it("a lone write waits for the other connection's transaction without blocking the event loop", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'autorisen-lock-')), 'lock.db');
    const a = openSqliteDb(path);
    const b = openSqliteDb(path);
    try {
      await a.run('CREATE TABLE w (v TEXT)');
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      const holder = a.transaction(async (tx) => {
        await tx.run('INSERT INTO w (v) VALUES (?)', ['a']);
        entered();
        await gate;
      });
      await inside;
      const write = b.run('INSERT INTO w (v) VALUES (?)', ['b']);
      // Were the wait SQLite's busy handler, it would hold this thread, the gate could never open,
      // and the write would fail after 5 s; backing off asynchronously lets the holder finish.
      await new Promise((r) => setTimeout(r, 30));
      release();
      await holder;
      expect(await write).toEqual({ changes: 1 });
      expect((await b.query<{ v: string }>('SELECT v FROM w ORDER BY v')).map((r) => r.v)).toEqual(['a', 'b']);
    } finally {
      await b.close();
      await a.close();
    }
  });
});

describe('toPgPlaceholders', () => {
  it('numbers placeholders but leaves quoted text and comments alone', () => {
    expect(toPgPlaceholders("SELECT ? , 'it''s ?', \"col?\" -- what?\n, ? /* ? */, $$ ? $$, $tag$ ? $tag$, ?")).toBe(
      "SELECT $1 , 'it''s ?', \"col?\" -- what?\n, $2 /* ? */, $$ ? $$, $tag$ ? $tag$, $3",
    );
  });
});
