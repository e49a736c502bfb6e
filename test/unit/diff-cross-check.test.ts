import { describe, expect, it } from 'vitest';
import { createOpenApiDiffCrossCheck, CROSS_CHECK_RULE } from '../../src/adapters/openapi/cross-check.ts';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import type { DiffReport } from '../../src/ports/spec-diff.ts';
import type { DiffCacheStore } from '../../src/ports/stores/diff-cache.ts';
import { createDiffService } from '../../src/services/diff-service.ts';
import { runCli } from '../../src/cli/main.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastapiBase, type Doc } from './diff-helpers.ts';

/** The openapi-diff cross-check, in its real worker thread. */
function pair(edit: (base: Doc, rev: Doc) => void): { base: Doc; rev: Doc; report: DiffReport } {
  const base = fastapiBase();
  const rev = structuredClone(base);
  edit(base, rev);
  return { base, rev, report: diffDocuments(base, rev) };
}

/** A FastAPI-shaped 3.1 pair with `n` operations, each with its own nested models, all changed. */
function bigPair(n: number): { base: Doc; rev: Doc; report: DiffReport } {
  const doc = (extra: boolean): Doc => {
    const d: Doc = { openapi: '3.1.0', info: { title: 'big', version: '1' }, paths: {}, components: { schemas: {} } };
    for (let i = 0; i < n; i++) {
      d.components.schemas[`Leaf${i}`] = {
        type: 'object',
        properties: { a: { type: 'string' }, b: { anyOf: [{ type: 'integer' }, { type: 'null' }] } },
        required: ['a'],
      };
      d.components.schemas[`Model${i}`] = {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: { type: 'integer' },
          leaves: { type: 'array', items: { $ref: `#/components/schemas/Leaf${i}` } },
          ...(extra ? { more: { type: 'string' } } : {}),
        },
        required: ['id'],
      };
      d.paths[`/api/autorisen/things${i}/{id}`] = {
        put: {
          requestBody: { content: { 'application/json': { schema: { $ref: `#/components/schemas/Model${i}` } } } },
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { $ref: `#/components/schemas/Model${i}` } } },
            },
          },
        },
      };
    }
    return d;
  };
  const base = doc(false);
  const rev = doc(true);
  return { base, rev, report: diffDocuments(base, rev) };
}

describe('openapi-diff cross-check', () => {
  it('turns what openapi-diff calls breaking and our engine did not into one warning, on FastAPI 3.1 input', async () => {
    // A property added to a response that forbade additional ones: a strict client rejects the new field.
    const { base, rev, report } = pair((b, r) => {
      b.components.schemas.Item.additionalProperties = false;
      r.components.schemas.Item.additionalProperties = false;
      r.components.schemas.Item.properties.sku = { type: 'string', title: 'Sku' };
    });
    expect(report.summary).toEqual({ breaking: 0, warning: 0, nonBreaking: 1 });
    const { report: out, complete } = await createOpenApiDiffCrossCheck().run(base, rev, report);
    expect(complete).toBe(true);
    const found = out.changes.filter((c) => c.rule === CROSS_CHECK_RULE);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      severity: 'warning',
      operation: 'GET /api/autorisen/items/{item_id}',
      location: 'response[200].body[application/json]',
      alsoAffects: ['POST /api/autorisen/items/'],
    });
    expect(found[0]!.message).toMatch(
      /openapi-diff calls a change to the response 200 body breaking \(response\.body\.scope\.add\)/,
    );
    expect(out.summary).toEqual({ breaking: 0, warning: 1, nonBreaking: 1 });
    expect(out.notes).toEqual([
      'cross-check: openapi-diff compared the JSON bodies of 2 changed operations and flagged 1 more (warnings)',
    ]);
  });

  it('adds nothing where our engine already found the break (3.1 nullability down-converted, recursive Category cut)', async () => {
    const { base, rev, report } = pair((_b, r) => {
      r.components.schemas.ItemCreate.properties.name.maxLength = 10;
    });
    expect(report.summary.breaking).toBe(1);
    const { report: out } = await createOpenApiDiffCrossCheck().run(base, rev, report);
    expect(out.changes).toEqual(report.changes);
    expect(out.notes?.join()).toMatch(/compared the JSON bodies of \d+ changed operations? and found nothing more/);
  });

  it('leaves out operations that use keywords OpenAPI 3.0 cannot express, and says so', async () => {
    const { base, rev, report } = pair((b, r) => {
      for (const d of [b, r])
        d.components.schemas.ItemCreate.properties.tags = { type: 'array', prefixItems: [{ type: 'string' }] };
      r.components.schemas.ItemCreate.properties.name.maxLength = 10;
    });
    const { report: out, complete } = await createOpenApiDiffCrossCheck().run(base, rev, report);
    expect(complete).toBe(true);
    expect(out.notes?.join(' | ')).toMatch(
      /cross-check left out 1 operation: POST \/api\/autorisen\/items\/: uses `prefixItems`, which OpenAPI 3.0 cannot express/,
    );
    expect(out.notes?.join(' | ')).toContain(
      'cross-check skipped: no changed operation has a JSON body openapi-diff can compare',
    );
  });

  it('times out on a big spec without blocking the event loop, and the process stays healthy', async () => {
    const big = bigPair(300);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const started = ticks;
    const { report: out, complete } = await createOpenApiDiffCrossCheck({ timeoutMs: 50, maxOperations: 300 }).run(
      big.base,
      big.rev,
      big.report,
    );
    clearInterval(ticker);
    expect(complete).toBe(false);
    expect(out.notes).toContain('cross-check skipped: openapi-diff did not finish within 0.05 s');
    expect(out.changes).toEqual(big.report.changes);
    expect(ticks).toBeGreaterThan(started); // timers kept firing while openapi-diff ran
    // The same process runs the next cross-check normally.
    const small = pair((_b, r) => void (r.components.schemas.ItemCreate.properties.name.maxLength = 10));
    const again = await createOpenApiDiffCrossCheck().run(small.base, small.rev, small.report);
    expect(again.complete).toBe(true);
  });

  it('survives openapi-diff running out of its heap cap', async () => {
    const big = bigPair(50);
    const { report: out, complete } = await createOpenApiDiffCrossCheck({
      maxOldGenerationSizeMb: 4,
      timeoutMs: 20_000,
    }).run(big.base, big.rev, big.report);
    expect(complete).toBe(false);
    expect(out.notes).toEqual(['cross-check skipped: openapi-diff ran out of memory (4 MiB cap)']);
  });

  it('the diff service caches a cross-checked report, but not one whose cross-check did not finish', async () => {
    const rows = new Map<string, DiffReport>();
    const cache: DiffCacheStore = {
      get: async (key) => (rows.has(key) ? { report: rows.get(key)!, createdAt: 1 } : null),
      put: async (key, report) => (rows.set(key, report), true),
    };
    const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
    const make = (timeoutMs: number) =>
      createDiffService({
        engine: { diff: async (b, r, o) => diffDocuments(b, r, o) },
        cache,
        crossCheck: createOpenApiDiffCrossCheck({ timeoutMs }),
        engineVersion: 't',
        defaultNamespace: '/api/autorisen/',
        clock: { now: () => 5, sleep: async () => undefined },
        log: quiet,
      });
    const { base, rev } = pair((_b, r) => void (r.components.schemas.ItemCreate.properties.name.maxLength = 10));
    const skipped = await make(1).diff(base, rev, { crossCheck: true });
    expect(skipped.notes?.join()).toMatch(/did not finish/);
    expect(rows.size).toBe(0);
    const done = await make(20_000).diff(base, rev, { crossCheck: true });
    expect(done.cachedAt).toBeUndefined();
    expect(rows.size).toBe(1);
    const hit = await make(20_000).diff(structuredClone(base), structuredClone(rev), { crossCheck: true });
    expect(hit.cachedAt).toBe(1);
    expect(hit.changes).toEqual(done.changes);
  });

  it('runs in the CLI only with --cross-check, and its warnings do not fail --fail-on breaking', async () => {
    const { base, rev } = pair((b, r) => {
      b.components.schemas.Item.additionalProperties = false;
      r.components.schemas.Item.additionalProperties = false;
      r.components.schemas.Item.properties.sku = { type: 'string' };
    });
    const dir = mkdtempSync(join(tmpdir(), 'autorisen-xc-cli-'));
    try {
      writeFileSync(join(dir, 'b.json'), JSON.stringify(base));
      writeFileSync(join(dir, 'r.json'), JSON.stringify(rev));
      const cli = async (...extra: string[]) => {
        let out = '';
        const code = await runCli(['diff', join(dir, 'b.json'), join(dir, 'r.json'), '--format', 'json', ...extra], {
          env: {},
          stdout: (t) => void (out += t),
          stderr: () => undefined,
          today: () => '2026-11-27',
        });
        return { code, json: JSON.parse(out) as DiffReport };
      };
      const plain = await cli();
      expect(plain.json.changes.some((c) => c.rule === CROSS_CHECK_RULE)).toBe(false);
      expect(plain.json.notes).toBeUndefined();
      const checked = await cli('--cross-check');
      expect(checked.code).toBe(0);
      expect(checked.json.summary.warning).toBe(1);
      expect(checked.json.notes?.[0]).toMatch(/^cross-check: openapi-diff compared/);
      expect((await cli('--cross-check', '--fail-on', 'warning')).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
