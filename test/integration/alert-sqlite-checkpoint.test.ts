import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/adapters/store/db.ts';
import { openSqliteDb } from '../../src/adapters/store/sqlite.ts';

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

  it('keeps the WAL bounded while writes never pause: past the limit it starts over', async () => {
    dir = mkdtempSync(join(tmpdir(), 'autorisen-ckpt-'));
    const path = join(dir, 'bot.db');
    // 64 frames (256 KiB) instead of 4096, checked every 10 ms, so a short test crosses it many times.
    db = openSqliteDb(path, { checkpointEveryMs: 10, restartFrames: 64 });
    await db.run('CREATE TABLE t (body TEXT NOT NULL)');
    // A write every millisecond or so for 3 s: PASSIVE checkpoints alone never caught up with the
    // last frame, so no writer started the WAL over and it kept every frame (several MB here; at
    // 500 commands a second it grew by hundreds of MB a minute).
    const walSizes: number[] = [];
    const started = Date.now();
    for (let i = 0; Date.now() - started < 3000; i++) {
      await db.run('INSERT INTO t (body) VALUES (?)', [`row ${i} ${'x'.repeat(200)}`]);
      await new Promise((r) => setTimeout(r, 1));
      // Past the first second: the worker thread starts after the database is opened.
      if (i % 50 === 0 && Date.now() - started > 1000) walSizes.push(statSync(`${path}-wal`).size);
    }
    expect(walSizes.length).toBeGreaterThan(5);
    expect(Math.max(...walSizes)).toBeLessThan(1_000_000);
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
