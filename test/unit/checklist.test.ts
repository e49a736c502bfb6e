import { describe, expect, it } from 'vitest';
import {
  backfills,
  ciChecks,
  ciStateOf,
  contractChecks,
  migrationsAndBackup,
  namespacedRoutes,
  observability,
  openapiDiff,
  runbook,
} from '../../src/core/checklist.ts';

const NS = '/api/autorisen/';
const clean = { breakingOutside: [], breakingInside: [], newOutside: [] };

describe('checklist items (pure)', () => {
  it('1: a fresh backup and additive migrations are green; old or missing backup warns; destructive fails; unreadable is unknown', () => {
    const fresh = { name: 'b007', ageHours: 2, succeeded: true };
    expect(migrationsAndBackup('production', fresh, { added: ['0002.py'], destructive: [] }).mark).toBe('ok');
    expect(migrationsAndBackup('production', { ...fresh, ageHours: 30 }, { added: [], destructive: [] }).mark).toBe(
      'warn',
    );
    expect(migrationsAndBackup('production', { ...fresh, succeeded: false }, { added: [], destructive: [] }).mark).toBe(
      'warn',
    );
    expect(migrationsAndBackup('production', null, { added: [], destructive: [] }).evidence).toContain(
      'no backup of production yet',
    );
    expect(migrationsAndBackup('production', fresh, { added: ['x'], destructive: ['x drops a column'] }).mark).toBe(
      'fail',
    );
    expect(migrationsAndBackup('production', 'unknown', { added: [], destructive: [] }).mark).toBe('unknown');
    expect(migrationsAndBackup('production', fresh, { error: 'commit unknown' }).mark).toBe('unknown');
  });

  it('2 and 3: breaking outside the namespace fails, inside warns; new routes outside the namespace fail; flags ahead in production warn', () => {
    expect(openapiDiff(clean, NS).mark).toBe('ok');
    expect(openapiDiff({ ...clean, breakingInside: ['GET /api/autorisen/me: x'] }, NS).mark).toBe('warn');
    expect(openapiDiff({ ...clean, breakingOutside: ['GET /api/items: x'] }, NS).mark).toBe('fail');
    expect(openapiDiff({ error: 'no spec' }, NS).mark).toBe('unknown');
    expect(namespacedRoutes(clean, { staging: 'on', production: 'off' }, NS, 'production').mark).toBe('ok');
    expect(namespacedRoutes({ ...clean, newOutside: ['GET /api/new'] }, { staging: 'on' }, NS, 'production').mark).toBe(
      'fail',
    );
    expect(namespacedRoutes(clean, { staging: 'off', production: 'on' }, NS, 'production').mark).toBe('warn');
    expect(namespacedRoutes(clean, { staging: 'on', production: 'unexpected' }, NS, 'production').mark).toBe('warn');
    expect(namespacedRoutes(clean, { staging: null }, NS, 'production').mark).toBe('unknown');
  });

  it('4: the last stored probe run per environment: a failure fails, none stored is unknown and says how to get one', () => {
    const last = {
      ageHours: 0.5,
      trigger: 'verify',
      actor: 'UANA0001',
      runId: null,
      ok: true,
      health: { url: 'https://s.example/healthz', status: 200 },
      passed: 3,
      failed: [],
      flag: 'off' as const,
    };
    const ok = contractChecks([{ env: 's', configured: 3, last }]);
    expect(ok).toMatchObject({ mark: 'ok', evidence: ['s: 3 pass (flag off) — verify by <@UANA0001>, 0.5 h ago'] });

    const failing = { ...last, ok: false, passed: 2, failed: ['me → 500'], trigger: 'release', runId: 'r1b2c3d4e5f6' };
    expect(contractChecks([{ env: 's', configured: 3, last: failing }])).toMatchObject({
      mark: 'fail',
      evidence: ['s: 2 pass, failing: me → 500 (flag off) — release run r1b2c3d4 by <@UANA0001>, 0.5 h ago'],
    });
    const down = { ...last, ok: false, health: { url: 'https://s.example/healthz', status: null }, passed: 0 };
    expect(contractChecks([{ env: 's', configured: 3, last: down }]).evidence[0]).toContain(
      'failing: health → no answer',
    );

    const none = contractChecks([
      { env: 's', configured: 3, last },
      { env: 'p', configured: 2, last: null },
    ]);
    expect(none.mark).toBe('unknown');
    expect(none.evidence[1]).toBe('p: no probe result stored yet; run `/autorisen verify p`');
    // A failure anywhere outranks an environment never probed.
    expect(
      contractChecks([
        { env: 's', configured: 3, last: failing },
        { env: 'p', configured: 2, last: null },
      ]).mark,
    ).toBe('fail');
    expect(contractChecks([{ env: 's', configured: 3, last: { ...last, ageHours: 30 } }])).toMatchObject({
      mark: 'warn',
      evidence: [expect.stringContaining('older than 24 h')],
    });
    expect(contractChecks([{ env: 's', configured: 0, last: null }]).mark).toBe('warn');
    expect(contractChecks([{ env: 's', configured: 0, last: { ...last, passed: 0 } }])).toMatchObject({
      mark: 'warn',
      evidence: ['s: no probes configured; last health check 200 — verify by <@UANA0001>, 0.5 h ago'],
    });
    expect(contractChecks([{ env: 's', error: 'last probe results: down' }]).mark).toBe('unknown');
    // Outside text in a probe's answer stays text.
    const odd = { ...last, ok: false, failed: ['<!here> → 500'] };
    expect(contractChecks([{ env: 's', configured: 1, last: odd }]).evidence[0]).toContain('&lt;!here&gt; → 500');
  });

  it('5: the CI state of a commit from its check runs and statuses', () => {
    expect(ciStateOf({ checkRuns: [], statuses: [] }).state).toBe('none');
    expect(ciStateOf({ checkRuns: [{ name: 't', status: 'in_progress', conclusion: null }], statuses: [] }).state).toBe(
      'pending',
    );
    expect(
      ciStateOf({
        checkRuns: [{ name: 't', status: 'completed', conclusion: 'success' }],
        statuses: [{ context: 'lint', state: 'error' }],
      }),
    ).toEqual({ state: 'red', failing: ['lint'] });
    expect(ciChecks([{ env: 's', sha: 'abcdef0', state: 'green', failing: [] }]).mark).toBe('ok');
    expect(ciChecks([{ env: 's', sha: 'abcdef0', state: 'none', failing: [] }]).mark).toBe('warn');
    expect(ciChecks([{ env: 's', sha: null, state: 'unknown', failing: [] }]).mark).toBe('unknown');
  });

  it('6–8: backfills, alert quietness, and the last release', () => {
    expect(backfills('staging', []).mark).toBe('warn');
    expect(backfills('staging', [{ task: 'b', state: 'done', error: null }]).mark).toBe('ok');
    expect(backfills('staging', [{ task: 'b', state: 'failed', error: 'exit 1' }]).mark).toBe('fail');
    expect(observability({ staging: 0, production: 0 }, 'production').mark).toBe('ok');
    expect(observability({ staging: 2, production: 0 }, 'production').mark).toBe('warn');
    expect(observability({ staging: 0, production: 1 }, 'production').mark).toBe('fail');
    expect(runbook(null).mark).toBe('warn');
    expect(runbook({ title: 'r', state: 'done', error: null, ageHours: 1 }).mark).toBe('ok');
    expect(runbook({ title: 'r', state: 'faulty', error: 'alert', ageHours: 1 }).mark).toBe('fail');
    expect(runbook({ title: 'r', state: 'waiting', error: null, ageHours: 1 }).mark).toBe('warn');
  });
});
