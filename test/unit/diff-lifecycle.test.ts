import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import type { DiffOptions } from '../../src/ports/spec-diff.ts';
import { type Doc, fastapiBase, verdicts } from './diff-helpers.ts';

/** Deprecation, sunset and stability rules, with "today" injected (2026-09-19). */
const TODAY = '2026-09-19';
const ITEM = '/api/autorisen/items/{item_id}';
const UPLOAD = '/api/autorisen/upload';

function run(edit: (d: Doc) => void, remove: (d: Doc) => void, options: DiffOptions = {}) {
  const base = fastapiBase();
  edit(base);
  const rev = structuredClone(base);
  remove(rev);
  return diffDocuments(base, rev, { today: TODAY, ...options });
}
const dropUpload = (d: Doc): void => void delete d.paths[UPLOAD];
const mark = (extra: Record<string, unknown>) => (d: Doc) => Object.assign(d.paths[UPLOAD].post, extra);

describe('removal, aware of deprecation and sunset', () => {
  it('an endpoint removed 12 days before its sunset breaks, and says how early', () => {
    const r = run(mark({ deprecated: true, 'x-sunset': '2026-10-01' }), dropUpload);
    expect(r.changes.map((c) => [c.rule, c.severity, c.message])).toEqual([
      [
        'endpoint-removed-before-sunset',
        'breaking',
        'POST /api/autorisen/upload was removed 12 days before its sunset (2026-10-01).',
      ],
    ]);
  });

  it('removed on or after its sunset date is not breaking (RFC 3339 dates too)', () => {
    for (const sunset of ['2026-09-19', '2026-09-01T00:00:00Z']) {
      const r = run(mark({ deprecated: true, 'x-sunset': sunset }), dropUpload);
      expect(verdicts(r)).toEqual(['endpoint-removed-after-sunset@non-breaking']);
      expect(r.changes[0]!.message).toMatch(/was removed after its sunset date \(2026-09-(19|01)\)\.$/);
    }
  });

  it('deprecated without a sunset is a warning (oasdiff: INFO); not deprecated breaks; draft/alpha do not', () => {
    expect(verdicts(run(mark({ deprecated: true }), dropUpload))).toEqual([
      'endpoint-removed-after-deprecation@warning',
    ]);
    expect(verdicts(run(mark({ deprecated: true }), dropUpload, { profile: 'oasdiff' }))).toEqual([
      'endpoint-removed-after-deprecation@non-breaking',
    ]);
    expect(verdicts(run(() => {}, dropUpload))).toEqual(['endpoint-removed@breaking']);
    for (const level of ['draft', 'alpha'])
      expect(verdicts(run(mark({ 'x-stability-level': level }), dropUpload))).toEqual([
        'endpoint-removed-unstable@non-breaking',
      ]);
    expect(verdicts(run(mark({ 'x-stability-level': 'beta' }), dropUpload))).toEqual(['endpoint-removed@breaking']);
  });

  it('an invalid x-sunset or stability level on a removed endpoint is flagged', () => {
    expect(verdicts(run(mark({ deprecated: true, 'x-sunset': 'soon' }), dropUpload))).toEqual([
      'endpoint-sunset-invalid@breaking',
    ]);
    expect(verdicts(run(mark({ 'x-stability-level': 'gamma' }), dropUpload))).toEqual([
      'endpoint-removed@breaking',
      'endpoint-stability-invalid@breaking',
    ]);
  });

  it('a parameter removed before or after its sunset', () => {
    const param = (sunset: string) => (d: Doc) =>
      Object.assign(d.paths[ITEM].get.parameters[1], { deprecated: true, 'x-sunset': sunset });
    const drop = (d: Doc): void => void d.paths[ITEM].get.parameters.splice(1, 1);
    expect(run(param('2026-09-20'), drop).changes[0]!.message).toBe(
      'Query parameter `q` was removed 1 day before its sunset (2026-09-20).',
    );
    expect(verdicts(run(param('2026-01-01'), drop))).toEqual(['request-parameter-removed-after-sunset@non-breaking']);
  });
});

describe('deprecating, with a minimum deprecation period per stability level', () => {
  const deprecate = (extra: Record<string, unknown>) => (d: Doc) =>
    Object.assign(d.paths[UPLOAD].post, { deprecated: true, ...extra });
  const policy = { deprecationDays: { beta: 31, stable: 180 } };

  it('no policy (0 days): deprecating without a sunset is fine', () => {
    expect(verdicts(run(() => {}, deprecate({})))).toEqual(['endpoint-deprecated@non-breaking']);
  });

  it('with a policy, a missing sunset or one too soon breaks, per level', () => {
    expect(verdicts(run(() => {}, deprecate({}), policy))).toContain('endpoint-deprecated-sunset-missing@breaking');
    // 100 days: enough for beta (31), not for stable (180, also the level when none is given).
    const soon = deprecate({ 'x-sunset': '2026-12-28' });
    expect(verdicts(run(() => {}, soon, policy))).toContain('endpoint-sunset-too-soon@breaking');
    const beta = (d: Doc) => Object.assign(d.paths[UPLOAD].post, { 'x-stability-level': 'beta' });
    expect(verdicts(run(beta, soon, policy))).toEqual(['endpoint-deprecated@non-breaking']);
    const alpha = (d: Doc) => Object.assign(d.paths[UPLOAD].post, { 'x-stability-level': 'alpha' });
    expect(verdicts(run(alpha, deprecate({}), policy))).toEqual(['endpoint-deprecated@non-breaking']);
  });

  it('a sunset deleted or moved closer than the policy allows breaks', () => {
    const was = mark({ deprecated: true, 'x-sunset': '2027-12-31' });
    expect(verdicts(run(was, (d) => void delete d.paths[UPLOAD].post['x-sunset'], policy))).toEqual([
      'endpoint-sunset-deleted@breaking',
    ]);
    expect(verdicts(run(was, (d) => void (d.paths[UPLOAD].post['x-sunset'] = '2026-10-01'), policy))).toEqual([
      'endpoint-sunset-moved-too-soon@breaking',
    ]);
  });

  it('a deprecated property needs a valid sunset under a policy', () => {
    const prop = (extra: Record<string, unknown>) => (d: Doc) =>
      Object.assign(d.components.schemas.Item.properties.price, { deprecated: true, ...extra });
    expect(verdicts(run(() => {}, prop({}), policy))).toContain('response-deprecated-sunset-missing@breaking');
    expect(verdicts(run(() => {}, prop({ 'x-sunset': 'next year' })))).toContain(
      'response-deprecated-sunset-invalid@breaking',
    );
  });

  it('stability lowered breaks; raised does not', () => {
    const level = (l: string) => (d: Doc) => Object.assign(d.paths[UPLOAD].post, { 'x-stability-level': l });
    expect(verdicts(run(level('stable'), level('beta')))).toEqual(['endpoint-stability-decreased@breaking']);
    expect(verdicts(run(level('beta'), level('stable')))).toEqual(['endpoint-stability-increased@non-breaking']);
  });
});
