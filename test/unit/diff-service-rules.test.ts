import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import type { DiffReport } from '../../src/ports/spec-diff.ts';
import type { DiffCacheStore } from '../../src/ports/stores/diff-cache.ts';
import { createDiffService } from '../../src/services/diff-service.ts';
import { fastapiBase, verdicts } from './diff-helpers.ts';

/** The bot's diff service: the rule book from config, "today" from the injected clock, both in the cache key. */
describe('diff service: rule book and clock', () => {
  const rows = new Map<string, DiffReport>();
  const cache: DiffCacheStore = {
    get: async (key) => (rows.has(key) ? { report: rows.get(key)!, createdAt: 1 } : null),
    put: async (key, report) => (rows.set(key, report), true),
  };
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
  let now = Date.parse('2026-09-30T23:00:00Z');
  const service = createDiffService({
    engine: { diff: async (b, r, o) => diffDocuments(b, r, o) },
    cache,
    engineVersion: 't',
    defaultNamespace: '/api/autorisen/',
    rules: { profile: 'autorisen', overrides: { 'tag-added': 'warning' }, deprecationDays: { beta: 0, stable: 0 } },
    clock: { now: () => now, sleep: async () => undefined },
    log: quiet,
  });
  const base = fastapiBase();
  Object.assign(base.paths['/api/autorisen/upload'].post, { deprecated: true, 'x-sunset': '2026-10-01' });
  const rev = structuredClone(base);
  delete rev.paths['/api/autorisen/upload'];
  rev.paths['/health'].get.tags = ['ops'];

  it('judges a sunset against the clock, recomputes on a new day, and applies config overrides', async () => {
    expect(verdicts(await service.diff(base, rev))).toEqual([
      'endpoint-removed-before-sunset@breaking',
      'tag-added@warning',
    ]);
    now = Date.parse('2026-10-02T08:00:00Z');
    const later = await service.diff(base, rev);
    expect(later.cachedAt).toBeUndefined(); // another day, another key
    expect(verdicts(later)).toEqual(['endpoint-removed-after-sunset@non-breaking', 'tag-added@warning']);
    expect((await service.diff(base, rev)).cachedAt).toBe(1);
    // A caller's profile wins over the config's, and is cached apart.
    const oasdiff = await service.diff(base, rev, { profile: 'oasdiff' });
    expect(oasdiff.cachedAt).toBeUndefined();
    expect(oasdiff.notes).toContain('levels: 1 rule override from the diff config');
  });
});
