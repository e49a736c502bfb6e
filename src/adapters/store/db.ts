/**
 * The one SQL surface every sub-store is written against, so each query is written once and runs on
 * both SQLite (better-sqlite3, WAL) and PostgreSQL (pg). Placeholders are `?`; the PostgreSQL
 * adapter rewrites them to $1..$n. Use portable SQL: TEXT, BIGINT (ms timestamps; returned as JS
 * numbers by both adapters), INTEGER 0/1 for booleans, TEXT for JSON, `ON CONFLICT … DO NOTHING/UPDATE`
 * and `RETURNING` (both supported).
 */
export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  /** Rows of a SELECT (or a statement with RETURNING). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** INSERT/UPDATE/DELETE; `changes` is the affected row count (what compare-and-set relies on). */
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
  /** Run `fn` in one transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: one pooled client). */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
