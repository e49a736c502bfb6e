import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/adapters/store/db.ts';
import { migrate } from '../../src/adapters/store/migrate.ts';
import { openPostgresDb } from '../../src/adapters/store/postgres.ts';
import { createStoreFromDb } from '../../src/adapters/store/sql-store.ts';
import { openSqliteDb } from '../../src/adapters/store/sqlite.ts';
import type { Store } from '../../src/ports/store.ts';

/** CI always provides PostgreSQL here; a test run without it fails rather than skipping. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabaseName = 'sqlite' | 'postgres';

/** A fresh, empty database location. `connect()` opens one more independent, unmigrated Db on it. */
export interface FreshDatabase {
  readonly name: TestDatabaseName;
  connect(): Promise<Db>;
  /** Close every Db opened through this handle and delete the database (file or schema). */
  cleanup(): Promise<void>;
}

/** A fresh, migrated database, as a Db (for sub-store contract tests). */
export interface OpenedDb {
  readonly name: TestDatabaseName;
  readonly db: Db;
  /** A second independent connection (another "instance") to the same database, migrated (a no-op). */
  reopen(): Promise<Db>;
  cleanup(): Promise<void>;
}

/** A fresh, migrated database, as a Store built the way the app builds it. */
export interface OpenedStore {
  readonly name: TestDatabaseName;
  readonly store: Store;
  readonly db: Db;
  /** A second independent Store (another "instance", or the app after a restart) on the same database. */
  reopen(): Promise<{ store: Store; db: Db }>;
  cleanup(): Promise<void>;
}

/** One database engine the contract tests run against. */
export interface TestDatabase {
  readonly name: TestDatabaseName;
  fresh(): Promise<FreshDatabase>;
  openDb(): Promise<OpenedDb>;
  open(): Promise<OpenedStore>;
}

/**
 * Both engines, for `describe.each(testDatabases())`. SQLite uses a new temp file each time;
 * PostgreSQL a new random schema in TEST_DATABASE_URL, so parallel test files never collide.
 */
export function testDatabases(): TestDatabase[] {
  return [engine('sqlite', freshSqlite), engine('postgres', freshPostgres)];
}

/** Just one engine by name. */
export function testDatabase(name: TestDatabaseName): TestDatabase {
  return testDatabases().find((d) => d.name === name)!;
}

function engine(name: TestDatabaseName, fresh: () => Promise<FreshDatabase>): TestDatabase {
  const openDb = async (): Promise<OpenedDb> => {
    const f = await fresh();
    const connectMigrated = async (): Promise<Db> => {
      const db = await f.connect();
      await migrate(db);
      return db;
    };
    try {
      return { name, db: await connectMigrated(), reopen: connectMigrated, cleanup: () => f.cleanup() };
    } catch (err) {
      await f.cleanup();
      throw err;
    }
  };
  return {
    name,
    fresh,
    openDb,
    async open() {
      const o = await openDb();
      return {
        name,
        db: o.db,
        store: createStoreFromDb(o.db),
        async reopen() {
          const db = await o.reopen();
          return { db, store: createStoreFromDb(db) };
        },
        cleanup: o.cleanup,
      };
    },
  };
}

async function freshSqlite(): Promise<FreshDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-store-'));
  const path = join(dir, 'test.db');
  const opened: Db[] = [];
  return {
    name: 'sqlite',
    async connect() {
      const db = openSqliteDb(path);
      opened.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freshPostgres(): Promise<FreshDatabase> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  await assertReachable();
  const opened: Db[] = [];
  return {
    name: 'postgres',
    async connect() {
      const db = await openPostgresDb(TEST_DATABASE_URL, { schema, max: 5 });
      opened.push(db);
      return db;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.close()));
      await adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
}

let reachable: Promise<void> | undefined;

/** Fail loudly, once per test file, when the PostgreSQL that CI guarantees is not there. */
function assertReachable(): Promise<void> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (err) {
      const u = new URL(TEST_DATABASE_URL);
      throw new Error(
        `PostgreSQL for tests is unreachable at ${u.host}${u.pathname} (TEST_DATABASE_URL). Start it (e.g. ` +
          '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`) or point TEST_DATABASE_URL at one; ' +
          'these tests never skip silently.',
        { cause: err },
      );
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return reachable;
}

/**
 * A fresh, empty PostgreSQL schema for booting a whole app on (DATABASE_URL): its URL selects the
 * schema with libpq's `options=-c search_path=…` (pg passes it as a startup parameter), so parallel
 * test files never share tables; `drop()` removes it.
 */
export async function freshAppSchema(prefix: string): Promise<{ schema: string; url: string; drop(): Promise<void> }> {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { schema, url: url.toString(), drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${schema} CASCADE`) };
}

/** One statement on the test server, outside any app (schema setup and teardown). */
async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
