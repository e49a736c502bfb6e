import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.ts';
import { openSqliteDb } from '../../src/adapters/store/sqlite.ts';
import { startCheckpointer } from '../../src/adapters/store/sqlite-checkpointer.ts';

/**
 * The alert storm's SQLite settings: WAL with synchronous=NORMAL, and WAL checkpoints moved off the
 * event loop to a worker thread (src/adapters/store/sqlite-checkpointer.ts).
 */
describe('SQLite checkpoints in the background', () => {
  let dir: string;
  let db: Db | null = null;
  afterEach(async () => {
    await db?.close();
    db = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the WAL into the database file without any commit doing it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autorisen-ckpt-'));
    const path = join(dir, 'bot.db');
    db = openSqliteDb(path);
    expect(await db.query('PRAGMA synchronous')).toEqual([{ synchronous: 1 }]); // NORMAL
    expect(await db.query('PRAGMA wal_autocheckpoint')).toEqual([{ wal_autocheckpoint: 0 }]);
    await db.run('CREATE TABLE t (body TEXT NOT NULL)');
    // ~200 pages: well under SQLite's own 1000-page automatic checkpoint, so only the worker can move them.
    for (let i = 0; i < 200; i++) await db.run('INSERT INTO t (body) VALUES (?)', ['x'.repeat(3000)]);
    const before = statSync(path).size;
    let after = before;
    for (let i = 0; i < 200 && after < before + 500_000; i++) {
      await new Promise((r) => setTimeout(r, 25));
      after = statSync(path).size;
    }
    expect(after).toBeGreaterThan(before + 500_000);
    // And the data is all there, read through the connection that wrote it.
    expect(await db.query('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 200 }]);
  });

  /**
   * Rounds of writes with a request reading across them, and one checkpoint driven per round: the
   * reader's snapshot stops PASSIVE short of the last frame, as steady traffic does, so only a
   * RESTART (which waits for the reader, released when the worker says it is restarting) lets the
   * next writer start the WAL over. No timing: every checkpoint is asked for and awaited.
   */
  async function walSizesOverRounds(
    path: string,
    restartFrames: number,
  ): Promise<{ sizes: number[]; restarts: number }> {
    const reader = new Database(path, { readonly: true });
    const [begin, read, commit] = ['BEGIN', 'SELECT COUNT(*) AS n FROM t', 'COMMIT'].map((q) => reader.prepare(q));
    let reading = false;
    const release = () => {
      if (reading) commit!.run();
      reading = false;
    };
    // restartWaitMs: the reader is released on the main thread while RESTART waits; a busy machine may take a while.
    const checkpointer = startCheckpointer(path, () => undefined, {
      intervalMs: 0,
      restartFrames,
      restartWaitMs: 30_000,
      onRestarting: release,
    });
    const write = async (n: number) => {
      for (let i = 0; i < n; i++) await db!.run('INSERT INTO t (body) VALUES (?)', ['x'.repeat(3000)]);
    };
    const sizes: number[] = [];
    let restarts = 0;
    try {
      for (let round = 0; round < 12; round++) {
        await write(20);
        begin!.run();
        read!.get();
        reading = true;
        await write(20); // frames past the reader's snapshot: PASSIVE cannot copy them yet
        if (await checkpointer.tick()) restarts++;
        release();
        await write(1); // the first writer after a RESTART starts the WAL over
        sizes.push(statSync(`${path}-wal`).size);
      }
    } finally {
      release();
      await checkpointer.stop();
      reader.close();
    }
    return { sizes, restarts };
  }

  it('keeps the WAL bounded while a reader always holds PASSIVE back: past the limit a RESTART starts it over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autorisen-ckpt-'));
    const path = join(dir, 'bot.db');
    // The bot's own checkpointer stays idle (1 h); the test drives one with a 64-frame (256 KiB) limit.
    db = openSqliteDb(path, { checkpointEveryMs: 3_600_000, restartFrames: 64 });
    await db.run('CREATE TABLE t (body TEXT NOT NULL)');
    const { sizes, restarts } = await walSizesOverRounds(path, 64);
    expect(restarts).toBe(12);
    expect(Math.max(...sizes)).toBeLessThan(1_000_000);
    expect(await db.query('SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 12 * 41 }]);
  });

  it('the same rounds with PASSIVE checkpoints only (RESTART never reached) grow the WAL past that bound', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autorisen-ckpt-'));
    const path = join(dir, 'bot.db');
    db = openSqliteDb(path, { checkpointEveryMs: 3_600_000 });
    await db.run('CREATE TABLE t (body TEXT NOT NULL)');
    const { sizes, restarts } = await walSizesOverRounds(path, Number.MAX_SAFE_INTEGER);
    expect(restarts).toBe(0);
    expect(Math.max(...sizes)).toBeGreaterThan(1_000_000);
  });

  it('closes cleanly with the worker running, and reopens the same file', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autorisen-ckpt-'));
    const path = join(dir, 'bot.db');
    const first = openSqliteDb(path);
    await first.run('CREATE TABLE t (a INTEGER)');
    await first.run('INSERT INTO t (a) VALUES (1)');
    await first.close();
    db = openSqliteDb(path);
    expect(await db.query('SELECT a FROM t')).toEqual([{ a: 1 }]);
  });
});
