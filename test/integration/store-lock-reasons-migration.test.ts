import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '../../src/adapters/store/migrate.ts';
import { testDatabases, type FreshDatabase } from '../support/test-databases.ts';

/**
 * Issue 19 item 3: locks written by earlier versions carry the bot's own mention in their reason
 * ("rolled back to v1 by <@U…>"), which reached Slack escaped. Migration 003 takes those mentions
 * out of the rows (the holder, a column of its own, is the same user), and leaves typed reasons be.
 */
const dirs: string[] = [];
/** The shipped migrations before 003: the schema an older version left. */
function migrationsBefore003(): string {
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-before-003-'));
  dirs.push(dir);
  for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql') && f < '003'))
    copyFileSync(join(MIGRATIONS_DIR, f), join(dir, f));
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const OLD: [env: string, holder: string, kind: string, reason: string, after: string][] = [
  [
    'staging',
    'U0OPS0001',
    'manual',
    'rolled back to v1 by <@U0OPS0001>. Unlock once the cause is fixed',
    'rolled back to v1. Unlock once the cause is fixed',
  ],
  [
    'qa',
    'U0OPS0001',
    'manual',
    'rolled back to v7 by <@U0OPS0001> (it stopped). Unlock once the cause is fixed',
    'rolled back to v7 (it stopped). Unlock once the cause is fixed',
  ],
  [
    'production',
    'UANA0001',
    'deploy',
    'Deploy main (4bdd992) to production (requested by <@UANA0001>)',
    'Deploy main (4bdd992) to production',
  ],
  ['demo', 'UBEN0002', 'release', 'Release 4bdd992 (retried by <@UBEN0002>)', 'Release 4bdd992 (retried)'],
  // Typed by a person: left exactly as typed (it is escaped wherever it is shown).
  [
    'typed',
    'UCY00003',
    'manual',
    'waiting for <@UCY00003> (requested by <@UCY00003>) & <!here>',
    'waiting for <@UCY00003> (requested by <@UCY00003>) & <!here>',
  ],
];

describe.each(testDatabases())('migration 003 on $name', (database) => {
  let fresh: FreshDatabase;
  afterEach(async () => fresh.cleanup());

  it("takes the bot's mentions out of held locks' reasons and keeps their holders", async () => {
    fresh = await database.fresh();
    const db = await fresh.connect();
    await migrate(db, migrationsBefore003());
    for (const [env, holder, kind, reason] of OLD)
      await db.run(
        'INSERT INTO env_locks (env, holder_id, kind, reason, token, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [env, holder, kind, reason, `t-${env}`, 1, null],
      );
    expect((await migrate(db)).applied).toContain('003-lock-reasons-by-holder');
    const rows = await db.query<{ env: string; reason: string; holder_id: string }>(
      'SELECT env, reason, holder_id FROM env_locks ORDER BY env',
    );
    expect(Object.fromEntries(rows.map((r) => [r.env, r.reason]))).toEqual(
      Object.fromEntries(OLD.map(([env, , , , after]) => [env, after])),
    );
    expect(Object.fromEntries(rows.map((r) => [r.env, r.holder_id]))).toEqual(
      Object.fromEntries(OLD.map(([env, holder]) => [env, holder])),
    );
  });
});
