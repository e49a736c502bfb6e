import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../errors.ts';
import type { Db } from './db.ts';
import { Mutex } from './mutex.ts';
import {
  SQLITE_CHECKPOINT_INTERVAL_MS,
  SQLITE_WAL_RESTART_FRAMES,
  startCheckpointer,
  type Checkpointer,
} from './sqlite-checkpointer.ts';
import { TxGuard } from './tx-guard.ts';

/** How long a writer waits for another connection's write lock before giving up. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;
const STATEMENT_CACHE_SIZE = 200;
const RESTORE_BUSY_TIMEOUT = `PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`;
/** SQLite's default page size, which every database the bot creates keeps: one WAL frame each. */
const WAL_PAGE_BYTES = 4096;

type Connection = Database.Database;
type Statement = Database.Statement<unknown[], unknown>;

/**
 * Open (creating if needed) a SQLite database file as a `Db`: WAL with synchronous=NORMAL, busy_timeout,
 * foreign keys on, and (for a file) WAL checkpoints on a worker thread (sqlite-checkpointer.ts).
 * Two processes or two instances on one file are safe: every write takes the write lock with
 * BEGIN IMMEDIATE, and WAL readers never block. `:memory:` works too (private to this connection).
 */
export function openSqliteDb(path: string, wal: { checkpointEveryMs?: number; restartFrames?: number } = {}): Db {
  const restartFrames = wal.restartFrames ?? SQLITE_WAL_RESTART_FRAMES;
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory && !path.startsWith('file:')) mkdirSync(dirname(resolve(path)), { recursive: true });
  let conn: Connection;
  try {
    conn = new Database(path, { timeout: SQLITE_BUSY_TIMEOUT_MS });
    // busy_timeout first: switching a fresh file to WAL needs a lock another opener may hold.
    conn.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    conn.pragma('journal_mode = WAL');
    // NORMAL is the usual setting with WAL (sqlite.org/pragma.html#pragma_synchronous): no sync
    // during most commits, only around checkpoints. A committed transaction survives a crash or kill
    // of this process; only an OS crash or power loss may roll back the last ones. FULL's fsync per
    // commit would block the event loop (better-sqlite3 is synchronous). See docs/ALERTS.md.
    conn.pragma('synchronous = NORMAL');
    conn.pragma('foreign_keys = ON');
    // A WAL that starts over is cut back to this size, not left at its high-water mark on disk.
    conn.pragma(`journal_size_limit = ${restartFrames * WAL_PAGE_BYTES}`);
  } catch (err) {
    throw new AppError(
      'store_failed',
      `Could not open the SQLite database at "${path}"; check SQLITE_PATH points to a writable location.`,
      { cause: err },
    );
  }
  const db = new SqliteDb(conn);
  // URI names are left to SQLite's own checkpoints; the worker opens plain paths only.
  if (!inMemory && !path.startsWith('file:'))
    db.checkpointInBackground(resolve(path), wal.checkpointEveryMs ?? SQLITE_CHECKPOINT_INTERVAL_MS, restartFrames);
  return db;
}

class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  private readonly mutex = new Mutex();
  private readonly guard = new TxGuard();
  private readonly cache = new Map<string, Statement>();
  private closed = false;
  private checkpointer: Checkpointer | null = null;

  constructor(private readonly conn: Connection) {}

  /**
   * Move WAL checkpoints to a worker thread (sqlite-checkpointer.ts) and turn this connection's
   * automatic ones off; should the worker stop, they are turned back on.
   */
  checkpointInBackground(path: string, intervalMs: number, restartFrames: number): void {
    this.conn.pragma('wal_autocheckpoint = 0');
    const onFailure = () => {
      this.checkpointer = null;
      void this.mutex.run(() => {
        if (!this.closed) this.conn.pragma('wal_autocheckpoint = 1000');
      });
    };
    this.checkpointer = startCheckpointer(path, onFailure, { intervalMs, restartFrames });
  }

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.guard.check();
    const now = this.mutex.idle ? this.runNow(sql, params) : null;
    if (now) return now.rows as T[];
    return this.mutex.run(() => this.autocommit(sql, () => this.exec(sql, params).rows as T[]));
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    this.guard.check();
    const now = this.mutex.idle ? this.runNow(sql, params) : null;
    if (now) return { changes: now.changes };
    return this.mutex.run(() => this.autocommit(sql, () => ({ changes: this.exec(sql, params).changes })));
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.guard.check();
    return this.mutex.run(async () => {
      this.assertOpen();
      await this.beginImmediate();
      const tx = new SqliteTx(this, 0);
      try {
        const result = await this.guard.within(() => fn(tx));
        this.conn.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.conn.inTransaction) this.conn.exec('ROLLBACK');
        throw err;
      } finally {
        tx.done = true;
      }
    });
  }

  async close(): Promise<void> {
    await this.checkpointer?.stop();
    return this.mutex.run(() => {
      if (this.closed) return;
      this.closed = true;
      this.cache.clear();
      this.conn.close();
    });
  }

  /** Run one statement now (caller holds the mutex). Used by the tx handle too. */
  exec(sql: string, params: readonly unknown[]): { rows: unknown[]; changes: number } {
    this.assertOpen();
    const stmt = this.prepare(sql);
    const args = params.map(toSqliteValue);
    if (stmt.reader) {
      // A SELECT, or a write with RETURNING: then every returned row is an affected row.
      const rows = stmt.all(...args);
      return { rows, changes: stmt.readonly ? 0 : rows.length };
    }
    const info = stmt.run(...args);
    return { rows: [], changes: info.changes };
  }

  /**
   * A lone statement run at once, when nobody holds or waits for this connection (the usual case):
   * no queue, no timer, no promise chain, which measured about half the CPU of a lone write (the
   * dedup claim and audit row of every slash command; bench/heroku-read-ack.ts). Null, with nothing
   * done, when another connection holds the write lock: the caller then queues and backs off.
   */
  private runNow(sql: string, params: readonly unknown[]): { rows: unknown[]; changes: number } | null {
    this.assertOpen();
    if (this.prepare(sql).readonly) return this.exec(sql, params);
    if (!this.tryBegin()) return null;
    try {
      const result = this.exec(sql, params);
      this.conn.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.conn.inTransaction) this.conn.exec('ROLLBACK');
      throw err;
    }
  }

  /** Reads run as they are (WAL snapshot); a lone write gets its own BEGIN IMMEDIATE so it waits politely. */
  private async autocommit<T>(sql: string, fn: () => T): Promise<T> {
    this.assertOpen();
    if (this.prepare(sql).readonly) return fn();
    await this.beginImmediate();
    try {
      const result = fn();
      this.conn.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.conn.inTransaction) this.conn.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * Take the write lock. better-sqlite3's busy handler blocks the whole thread, so a second
   * instance in the same process would freeze the very holder it waits for; instead we try without
   * waiting and back off asynchronously, up to the same busy timeout.
   */
  private async beginImmediate(): Promise<void> {
    const deadline = performance.now() + SQLITE_BUSY_TIMEOUT_MS;
    let delay = 1;
    while (!this.tryBegin()) {
      if (performance.now() >= deadline)
        throw new AppError(
          'store_failed',
          'The SQLite database stayed locked by another instance for 5 s; try again, and check no stuck process holds it.',
        );
      await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
      delay = Math.min(delay * 2, 25);
    }
  }

  /**
   * BEGIN IMMEDIATE without waiting: false when another connection holds the write lock. The pragma
   * is run each time, not prepared once: SQLite applies `PRAGMA busy_timeout = N` when the statement
   * is compiled, so a prepared copy run later changes nothing, and BEGIN would then block the whole
   * event loop for up to 5 s while another instance writes (store-migrate.test.ts caught it).
   * exec, not pragma(): the same statement, without the Statement object and result rows pragma()
   * builds, which made the two pragmas cost more than the write itself (bench/change-ack.ts).
   */
  private tryBegin(): boolean {
    this.conn.exec('PRAGMA busy_timeout = 0');
    try {
      this.conn.exec('BEGIN IMMEDIATE');
      return true;
    } catch (err) {
      if (isBusy(err)) return false;
      throw err;
    } finally {
      this.conn.exec(RESTORE_BUSY_TIMEOUT);
    }
  }

  private prepare(sql: string): Statement {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.conn.prepare(sql);
      if (this.cache.size >= STATEMENT_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(sql, stmt);
    }
    return stmt;
  }

  savepoint(name: string, action: 'SAVEPOINT' | 'RELEASE' | 'ROLLBACK TO'): void {
    this.conn.exec(`${action} ${name}`);
  }

  private assertOpen(): void {
    if (this.closed)
      throw new AppError('store_failed', 'The SQLite database was already closed; this is a bug in shutdown order.');
  }
}

/** The handle passed to a transaction callback: statements run directly, inside the open transaction. */
class SqliteTx implements Db {
  readonly dialect = 'sqlite' as const;
  done = false;

  constructor(
    private readonly owner: SqliteDb,
    private readonly depth: number,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.assertLive();
    return this.owner.exec(sql, params).rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    this.assertLive();
    return { changes: this.owner.exec(sql, params).changes };
  }

  /** Nested transactions are savepoints: an inner failure undoes only the inner work. */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.assertLive();
    const name = `sp_${this.depth + 1}`;
    this.owner.savepoint(name, 'SAVEPOINT');
    const inner = new SqliteTx(this.owner, this.depth + 1);
    try {
      const result = await fn(inner);
      this.owner.savepoint(name, 'RELEASE');
      return result;
    } catch (err) {
      this.owner.savepoint(name, 'ROLLBACK TO');
      this.owner.savepoint(name, 'RELEASE');
      throw err;
    } finally {
      inner.done = true;
    }
  }

  async close(): Promise<void> {
    throw new AppError('internal', 'A transaction handle cannot close the database.');
  }

  private assertLive(): void {
    if (this.done)
      throw new AppError('internal', 'A statement ran on a transaction handle after its transaction ended.');
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** better-sqlite3 binds numbers, strings, bigints, buffers and null only. */
function toSqliteValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
