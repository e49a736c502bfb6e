import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMigrations, migrate, splitStatements } from '../../src/adapters/store/migrate.ts';
import { testDatabases, type FreshDatabase } from '../support/test-databases.ts';

const dirs: string[] = [];
function migrationDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-migrations-'));
  dirs.push(dir);
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.each(testDatabases())('migrations on $name', (database) => {
  let fresh: FreshDatabase;
  afterEach(async () => {
    await fresh.cleanup();
  });

  it('applies every shipped migration once; running again is a no-op', async () => {
    fresh = await database.fresh();
    const db = await fresh.connect();
    const all = loadMigrations(db.dialect).map((m) => m.id);
    expect(all.slice(0, 2)).toEqual(['001-audit-log', '002-foundation']);
    expect(await migrate(db)).toEqual({ applied: all });
    expect(await migrate(db)).toEqual({ applied: [] });
    expect(await db.query('SELECT COUNT(*) AS n FROM schema_migrations')).toEqual([{ n: all.length }]);
  });

  it('lets two instances migrate at once: both succeed, each migration applied by exactly one', async () => {
    fresh = await database.fresh();
    const [a, b] = [await fresh.connect(), await fresh.connect()];
    const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
    const all = loadMigrations(a.dialect).map((m) => m.id);
    expect([...ra.applied, ...rb.applied].sort()).toEqual(all);
    await b.run("INSERT INTO dedup_keys (dedup_key, claimed_at, expires_at) VALUES ('k', 1, 2)");
  });

  it('applies dialect pairs and portable files in name order, and rolls back a failing one entirely', async () => {
    fresh = await database.fresh();
    const db = await fresh.connect();
    const dir = migrationDir({
      '002-second.sql': 'CREATE TABLE second (id TEXT PRIMARY KEY);\n-- a trailing comment; with a semicolon;\n',
      '001-first.sqlite.sql': "CREATE TABLE first (dialect TEXT);\nINSERT INTO first VALUES ('sqlite');",
      '001-first.postgres.sql': "CREATE TABLE first (dialect TEXT);\nINSERT INTO first VALUES ('postgres');",
      '003-broken.sql': 'CREATE TABLE half (id TEXT);\nINSERT INTO no_such_table VALUES (1);\n',
    });
    const failure = await migrate(db, dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toMatchObject({ code: 'store_failed', userMessage: expect.stringContaining('003-broken.sql') });
    expect(await db.query('SELECT dialect FROM first')).toEqual([{ dialect: database.name }]);
    expect((await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id')).map((r) => r.id)).toEqual([
      '001-first',
      '002-second',
    ]);
    await expect(db.query('SELECT * FROM half')).rejects.toThrow(); // the broken migration left nothing behind
  });
});

describe('migration files', () => {
  it('rejects a dialect file without its pair, a mixed pair, and a badly named file', () => {
    expect(() => loadMigrations('sqlite', migrationDir({ '010-flag.sqlite.sql': 'SELECT 1;' }))).toThrow(
      /010-flag.postgres.sql/,
    );
    expect(() =>
      loadMigrations(
        'sqlite',
        migrationDir({
          '010-flag.sql': 'SELECT 1;',
          '010-flag.postgres.sql': 'SELECT 1;',
          '010-flag.sqlite.sql': 'SELECT 1;',
        }),
      ),
    ).toThrow(/keep one form/);
    expect(() => loadMigrations('postgres', migrationDir({ 'flag.sql': 'SELECT 1;' }))).toThrow(/NNN-name.sql/);
  });

  it('splits statements at a semicolon that ends a line, ignoring comment-only pieces', () => {
    expect(
      splitStatements("-- header\nCREATE TABLE a (x TEXT DEFAULT 'a;b');\nINSERT INTO a VALUES ('1');  \n-- done;\n"),
    ).toEqual(["-- header\nCREATE TABLE a (x TEXT DEFAULT 'a;b')", "INSERT INTO a VALUES ('1')"]);
  });
});
