import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors.ts';
import type { Db } from './db.ts';

/** Where the migration files live; found by listing, so adding a file is all it takes. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/** One migration: its id (`NNN-name`) and the SQL for the dialect at hand. */
export interface Migration {
  id: string;
  file: string;
  sql: string;
}

const FILE_NAME = /^(\d{3}-[a-z0-9][a-z0-9-]*?)(?:\.(sqlite|postgres))?\.sql$/;

/**
 * List the migrations for `dialect`, in name order. `NNN-name.sql` is portable SQL;
 * `NNN-name.sqlite.sql` + `NNN-name.postgres.sql` is a pair, one per dialect (both must exist).
 */
export function loadMigrations(dialect: Db['dialect'], dir: string = MIGRATIONS_DIR): Migration[] {
  const byId = new Map<string, { portable?: string; sqlite?: string; postgres?: string }>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE_NAME.exec(file);
    if (!m)
      throw migrationError(
        `"${file}" is not a migration file name; use NNN-name.sql or NNN-name.sqlite.sql + NNN-name.postgres.sql.`,
      );
    const entry = byId.get(m[1]!) ?? {};
    entry[(m[2] as 'sqlite' | 'postgres' | undefined) ?? 'portable'] = file;
    byId.set(m[1]!, entry);
  }
  const out: Migration[] = [];
  for (const id of [...byId.keys()].sort()) {
    const entry = byId.get(id)!;
    if (entry.portable && (entry.sqlite || entry.postgres))
      throw migrationError(`Migration ${id} has both a portable .sql file and dialect files; keep one form.`);
    if (!entry.portable && !(entry.sqlite && entry.postgres))
      throw migrationError(`Migration ${id} needs both ${id}.sqlite.sql and ${id}.postgres.sql.`);
    const file = entry.portable ?? entry[dialect]!;
    out.push({ id, file, sql: readFileSync(`${dir}/${file}`, 'utf8') });
  }
  return out;
}

/** Split a migration into statements: each ends with `;` at the end of a line. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.replace(/--[^\n]*/g, '').trim() !== '');
}

/**
 * Apply every migration not yet recorded in `schema_migrations`, in name order, each in its own
 * transaction. Safe when several instances start at once: PostgreSQL serialises on an advisory
 * lock (per schema), SQLite on BEGIN IMMEDIATE; each re-checks under the lock before applying.
 * A migration missing from disk but recorded (after a rollback to older code) is left alone.
 */
export async function migrate(db: Db, dir: string = MIGRATIONS_DIR): Promise<{ applied: string[] }> {
  const migrations = loadMigrations(db.dialect, dir);
  await db.transaction(async (tx) => {
    await lock(tx);
    await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
  });
  const done = new Set((await db.query<{ id: string }>('SELECT id FROM schema_migrations')).map((r) => r.id));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    try {
      const ran = await db.transaction(async (tx) => {
        await lock(tx);
        const again = await tx.query('SELECT id FROM schema_migrations WHERE id = ?', [migration.id]);
        if (again.length > 0) return false; // another instance applied it while we waited
        for (const statement of splitStatements(migration.sql)) await tx.run(statement);
        await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)', [migration.id, Date.now()]);
        return true;
      });
      if (ran) applied.push(migration.id);
    } catch (err) {
      if (err instanceof AppError) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      throw migrationError(
        `Migration ${migration.file} failed on ${db.dialect} (${reason}); nothing of it was applied. Fix the SQL and deploy again.`,
        err,
      );
    }
  }
  return { applied };
}

/** Serialise migrators. On SQLite the transaction's BEGIN IMMEDIATE already holds the write lock. */
async function lock(tx: Db): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  // Keyed by schema, so test schemas in one database migrate in parallel; released at COMMIT.
  await tx.query("SELECT pg_advisory_xact_lock(hashtext(coalesce(current_schema(), '') || ':autorisen-migrations'))");
}

function migrationError(message: string, cause?: unknown): AppError {
  return new AppError('store_failed', message, { cause });
}
