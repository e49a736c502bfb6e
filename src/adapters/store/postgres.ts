import pg from 'pg';
import { AppError } from '../../errors.ts';
import type { Db } from './db.ts';
import { TxGuard } from './tx-guard.ts';
import { pgCode } from './sqlstate.ts';

/** Options for `openPostgresDb`. */
export interface PostgresOptions {
  /** Use (and create if missing) this schema via search_path on every connection; tests isolate this way. */
  schema?: string;
  /** Errors of idle pooled clients (server restarts, dropped connections); pg emits them on the pool. */
  onError?: (err: Error) => void;
  /** Pool size; Heroku Postgres hobby/mini plans allow 20 connections in total. */
  max?: number;
  /** TLS: 'auto' (default) = off for a local server, else on without certificate verification. */
  ssl?: DatabaseSsl;
}

export type DatabaseSsl = 'auto' | 'off' | 'no-verify' | 'verify';

/**
 * pg's TLS option for a URL. Heroku Postgres refuses plain connections and presents a certificate
 * Node cannot verify against its CA list, so Heroku's own guidance for node-postgres is TLS with
 * `rejectUnauthorized: false`; a server on this machine (CI, development) speaks plain TCP.
 */
export function sslOption(url: string, mode: DatabaseSsl = 'auto'): false | { rejectUnauthorized: boolean } {
  if (mode === 'off') return false;
  if (mode === 'verify') return { rejectUnauthorized: true };
  if (mode === 'no-verify') return { rejectUnauthorized: false };
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const local =
    host === '' || host === 'localhost' || host === '::1' || host.startsWith('127.') || host.startsWith('/');
  return local ? false : { rejectUnauthorized: false };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * BIGINT (int8, oid 20) holds our millisecond timestamps and counts; pg returns it as a string by
 * default because it may exceed 2^53. Ours never do, so parse it as a number — per pool, not via the
 * global pg.types.setTypeParser, so no other pg user in the process is affected.
 */
const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};

function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n))
    throw new AppError('store_failed', `A BIGINT value (${text}) is too large for a JavaScript number.`);
  return n;
}

/**
 * Open a pg Pool on `url` as a `Db`: `?` placeholders become $1..$n, BIGINT comes back as a number,
 * transactions hold one client from BEGIN to COMMIT/ROLLBACK. The pool connects lazily; the first
 * query (the migrations at open) tells whether the server is reachable.
 */
export async function openPostgresDb(url: string, options: PostgresOptions = {}): Promise<Db> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new AppError(
      'store_failed',
      `"${schema}" is not a usable schema name; use lower-case letters, digits and underscores.`,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    ssl: sslOption(url, options.ssl),
    types: typeParsers,
    max: options.max ?? 10,
    // A startup parameter, so the search_path is set before the pool hands the client to anyone.
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  pool.on('error', (err) => options.onError?.(err));
  if (schema) {
    try {
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (err) {
      // Two instances creating the same schema at once: one loses the catalog race (duplicate key).
      if (pgCode(err) !== '23505' && pgCode(err) !== '42P06') {
        await pool.end().catch(() => undefined);
        throw err;
      }
    }
  }
  return new PostgresDb(pool);
}

interface Queryable {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

class PostgresDb implements Db {
  readonly dialect = 'postgres' as const;
  private readonly guard = new TxGuard();
  private closed = false;

  constructor(private readonly pool: pg.Pool) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.guard.check();
    return (await execute(this.pool, sql, params)).rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    this.guard.check();
    return { changes: (await execute(this.pool, sql, params)).rowCount ?? 0 };
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.guard.check();
    const client = await this.pool.connect();
    const tx = new PostgresTx(client, 0);
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await this.guard.within(() => fn(tx));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is unusable; destroy it rather than return it to the pool
      }
      throw err;
    } finally {
      tx.done = true;
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** The handle passed to a transaction callback: every statement runs on the transaction's client. */
class PostgresTx implements Db {
  readonly dialect = 'postgres' as const;
  done = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly depth: number,
  ) {}

  async query<T = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    this.assertLive();
    return (await execute(this.client, sql, params)).rows as T[];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    this.assertLive();
    return { changes: (await execute(this.client, sql, params)).rowCount ?? 0 };
  }

  /** Nested transactions are savepoints: an inner failure undoes only the inner work. */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.assertLive();
    const name = `sp_${this.depth + 1}`;
    await this.client.query(`SAVEPOINT ${name}`);
    const inner = new PostgresTx(this.client, this.depth + 1);
    try {
      const result = await fn(inner);
      await this.client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
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

function execute(target: Queryable, sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
  // Without parameters the text goes as is (migrations may contain `?` in comments or strings).
  if (params.length === 0) return target.query(sql);
  return target.query(pgText(sql), params.map(toPgValue));
}

/**
 * The bot runs a small fixed set of statements, so each is rewritten once: rewriting them on every
 * query, a character at a time, was about a tenth of a PostgreSQL-backed `flag status`'s CPU at
 * 500/s (bench/change-ack.ts). Bounded all the same, like SQLite's statement cache.
 */
const pgTexts = new Map<string, string>();
const PG_TEXT_CACHE_SIZE = 500;

function pgText(sql: string): string {
  let text = pgTexts.get(sql);
  if (text === undefined) {
    text = toPgPlaceholders(sql);
    if (pgTexts.size >= PG_TEXT_CACHE_SIZE) pgTexts.delete(pgTexts.keys().next().value as string);
    pgTexts.set(sql, text);
  }
  return text;
}

/**
 * Rewrite `?` placeholders to $1..$n, leaving `?` inside string literals, quoted identifiers,
 * dollar-quoted bodies and comments alone.
 */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const skipTo = (end: string, from: number): number => {
      const j = sql.indexOf(end, from);
      return j === -1 ? sql.length : j + end.length;
    };
    let next = i + 1;
    if (c === "'" || c === '"') {
      // '' and "" escapes are just two adjacent quoted runs, so scanning to the next quote is enough.
      next = skipTo(c, i + 1);
    } else if (c === '-' && sql[i + 1] === '-') {
      next = skipTo('\n', i + 2);
    } else if (c === '/' && sql[i + 1] === '*') {
      next = skipTo('*/', i + 2);
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i));
      if (tag) next = skipTo(tag[0], i + tag[0].length);
    } else if (c === '?') {
      n += 1;
      out += `$${n}`;
      i += 1;
      continue;
    }
    out += sql.slice(i, next);
    i = next;
  }
  return out;
}

/** Booleans are stored as INTEGER 0/1 on both dialects; pg would send 'true' and fail the cast. */
function toPgValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}
