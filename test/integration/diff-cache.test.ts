import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiffCacheStore } from '../../src/adapters/store/diff-cache-store.ts';
import type { DiffReport } from '../../src/ports/spec-diff.ts';
import { testDatabases, type OpenedDb } from '../support/test-databases.ts';

const DAY = 24 * 3600_000;
const T0 = Date.UTC(2026, 10, 27, 12);

function report(breaking: number, padding = ''): DiffReport {
  return {
    summary: { breaking, warning: 0, nonBreaking: 0 },
    changes: Array.from({ length: breaking }, (_, i) => ({
      severity: 'breaking' as const,
      rule: 'endpoint-removed',
      operation: `GET /x/${i}`,
      location: '',
      message: `GET /x/${i} was removed.${padding}`,
    })),
    notes: ['cross-check: openapi-diff compared the JSON bodies of 1 changed operation and found nothing more'],
  };
}

/** The diff result cache, same contract on SQLite and PostgreSQL. */
describe.each(testDatabases())('diff cache on $name', (engine) => {
  let o: OpenedDb;
  beforeEach(async () => {
    o = await engine.openDb();
  });
  afterEach(async () => o?.cleanup());

  it('returns what was put, with when, and survives a restart (another connection)', async () => {
    const cache = createDiffCacheStore(o.db);
    expect(await cache.get('k1', T0)).toBeNull();
    expect(await cache.put('k1', report(2), T0)).toBe(true);
    expect(await cache.get('k1', T0 + 1000)).toEqual({ report: report(2), createdAt: T0 });
    const again = createDiffCacheStore(await o.reopen());
    expect((await again.get('k1', T0 + 2000))?.report.summary.breaking).toBe(2);
  });

  it('replaces an entry under the same key', async () => {
    const cache = createDiffCacheStore(o.db);
    await cache.put('k', report(1), T0);
    await cache.put('k', report(3), T0 + 10);
    expect((await cache.get('k', T0 + 20))?.report.summary.breaking).toBe(3);
  });

  it('forgets entries older than the age bound', async () => {
    const cache = createDiffCacheStore(o.db, { maxAgeMs: DAY });
    await cache.put('old', report(1), T0);
    expect(await cache.get('old', T0 + DAY - 1)).not.toBeNull();
    expect(await cache.get('old', T0 + DAY)).toBeNull();
    await cache.put('new', report(1), T0 + DAY + 5);
    expect(await o.db.query('SELECT cache_key FROM diff_cache')).toEqual([{ cache_key: 'new' }]);
  });

  it('keeps at most maxEntries, evicting the least recently used', async () => {
    const cache = createDiffCacheStore(o.db, { maxEntries: 2 });
    await cache.put('a', report(1), T0);
    await cache.put('b', report(1), T0 + 1);
    await cache.get('a', T0 + 2); // a is now more recently used than b
    await cache.put('c', report(1), T0 + 3);
    expect(await cache.get('a', T0 + 4)).not.toBeNull();
    expect(await cache.get('b', T0 + 4)).toBeNull();
    expect(await cache.get('c', T0 + 4)).not.toBeNull();
  });

  it('does not cache a report over the entry size bound, and keeps total bytes under the bound', async () => {
    const cache = createDiffCacheStore(o.db, { maxEntryBytes: 2_000, maxTotalBytes: 3_000 });
    expect(await cache.put('huge', report(1, 'x'.repeat(5_000)), T0)).toBe(false);
    expect(await cache.get('huge', T0)).toBeNull();
    await cache.put('one', report(1, 'y'.repeat(1_200)), T0 + 1);
    await cache.put('two', report(1, 'z'.repeat(1_200)), T0 + 2);
    await cache.put('three', report(1, 'w'.repeat(1_200)), T0 + 3);
    const keys = (await o.db.query<{ cache_key: string }>('SELECT cache_key FROM diff_cache ORDER BY cache_key')).map(
      (r) => r.cache_key,
    );
    expect(keys).toEqual(['three', 'two']);
  });

  it('treats a row it cannot read as a miss', async () => {
    await o.db.run('INSERT INTO diff_cache (cache_key, report, bytes, created_at, used_at) VALUES (?, ?, ?, ?, ?)', [
      'bad',
      '{"nope":1}',
      10,
      T0,
      T0,
    ]);
    expect(await createDiffCacheStore(o.db).get('bad', T0 + 1)).toBeNull();
  });
});
