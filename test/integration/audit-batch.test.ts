import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_BATCH_MAX } from '../../src/adapters/store/audit-batch.ts';
import type { Db } from '../../src/adapters/store/db.ts';
import { createStoreFromDb } from '../../src/adapters/store/sql-store.ts';
import type { Store } from '../../src/ports/store.ts';
import type { AuditEntry } from '../../src/ports/stores/audit.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

/**
 * Audit rows appended together are stored by one INSERT (audit-batch.ts), on real SQLite and
 * PostgreSQL: nothing is lost, nothing is reordered, and each append resolves only once stored.
 */
const T0 = 1_760_000_000_000;
const row = (args: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  at: T0,
  correlationId: `c-${args}`,
  actorId: 'U1',
  channelId: 'C1',
  command: 'flag status',
  args,
  action: 'invoke',
  result: 'ok',
  detail: null,
  durationMs: 1,
  env: null,
  ...over,
});

/** The Db with a count of the statements that wrote audit rows. */
function counting(db: Db): { db: Db; inserts: () => number } {
  let n = 0;
  const wrapped: Db = Object.create(db) as Db;
  wrapped.run = (sql, params) => {
    if (sql.startsWith('INSERT INTO audit_log')) n++;
    return db.run(sql, params);
  };
  return { db: wrapped, inserts: () => n };
}

describe.each(testDatabases())('audit group commit on $name', (database) => {
  let o: OpenedStore;
  let store: Store;
  let inserts: () => number;
  beforeEach(async () => {
    o = await database.open();
    const c = counting(o.db);
    store = createStoreFromDb(c.db);
    inserts = c.inserts;
  });
  afterEach(async () => o.cleanup());

  const stored = async () => (await store.audit.latest({ limit: 500 })).map((e) => e.args).reverse();

  it('stores rows appended together with one INSERT, in the order they were appended', async () => {
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => store.audit.append(row(x))));
    expect(inserts()).toBe(1);
    // Each append resolved only once its row was there.
    expect(await stored()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('splits a burst into INSERTs of at most AUDIT_BATCH_MAX rows', async () => {
    const burst = Array.from({ length: AUDIT_BATCH_MAX + 5 }, (_, i) => `r${i}`);
    await Promise.all(burst.map((x) => store.audit.append(row(x))));
    expect(inserts()).toBe(2);
    expect(await stored()).toEqual(burst);
  });

  it('a bad row fails alone: the others of its batch are stored', async () => {
    const results = await Promise.allSettled([
      store.audit.append(row('before')),
      store.audit.append(row('bad', { actorId: null as unknown as string })),
      store.audit.append(row('after')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored()).toEqual(['before', 'after']);
  });

  it('close() stores the rows still in their window before closing the database', async () => {
    const own = await o.reopen();
    const appended = own.store.audit.append(row('last words'));
    await own.store.close();
    await appended;
    expect(await stored()).toEqual(['last words']);
  });
});
