import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProbeRunRecord } from '../../src/ports/stores/probe-runs.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

/** Contract probe runs (migration 080), what `/autorisen checklist` reads, on both engines. */
const T0 = 1_760_000_000_000; // beyond 32 bits: BIGINT must round-trip as a number

function run(over: Partial<ProbeRunRecord> = {}): ProbeRunRecord {
  return {
    env: 'staging',
    at: T0,
    trigger: 'verify',
    ok: true,
    health: { url: 'https://autorisen.example/healthz', status: 200 },
    results: [
      {
        name: 'GET /api/autorisen/me',
        url: 'https://autorisen.example/api/autorisen/me',
        expect: 401,
        status: 401,
        error: null,
        ok: true,
      },
    ],
    skipped: 1,
    flag: 'off',
    actor: 'UANA0001',
    runId: null,
    correlationId: 'corr-1',
    ...over,
  };
}

describe.each(testDatabases())('probe runs on $name', (engine) => {
  let o: OpenedStore;
  beforeEach(async () => {
    o = await engine.open();
  });
  afterEach(async () => o.cleanup());

  it('answers null for an environment never probed', async () => {
    expect(await o.store.probeRuns.latest('staging')).toBeNull();
    expect(await o.store.probeRuns.list('staging', 5)).toEqual([]);
  });

  it('round-trips a run: trigger, health, per-probe answers, flag, who ran it', async () => {
    await o.store.probeRuns.record(run());
    expect(await o.store.probeRuns.latest('staging')).toEqual(run());
    const failed = run({
      env: 'production',
      trigger: 'release',
      ok: false,
      health: { url: 'https://capecraft.example/healthz', status: null },
      results: [
        {
          name: 'GET /x',
          url: 'https://capecraft.example/x',
          expect: 200,
          status: null,
          error: 'connect ECONNREFUSED',
          ok: false,
        },
      ],
      skipped: 0,
      flag: null,
      runId: 'run-7',
      correlationId: null,
    });
    await o.store.probeRuns.record(failed);
    expect(await o.store.probeRuns.latest('production')).toEqual(failed);
    // A run without a health check (none answered yet) keeps health null.
    await o.store.probeRuns.record(run({ env: 'qa', health: null, results: [] }));
    expect((await o.store.probeRuns.latest('qa'))?.health).toBeNull();
  });

  it('keeps every run; latest is the newest per environment, and ties in one millisecond go to the later write', async () => {
    const p = o.store.probeRuns;
    await p.record(run({ at: T0, trigger: 'deploy' }));
    await p.record(run({ at: T0 + 5_000, trigger: 'flag', ok: false }));
    await p.record(run({ at: T0 + 5_000, trigger: 'rollback' }));
    await p.record(run({ env: 'production', at: T0 + 9_000, trigger: 'verify' }));
    expect((await p.latest('staging'))?.trigger).toBe('rollback');
    expect((await p.list('staging', 10)).map((r) => r.trigger)).toEqual(['rollback', 'flag', 'deploy']);
    expect((await p.list('staging', 2)).map((r) => r.at)).toEqual([T0 + 5_000, T0 + 5_000]);
    // Another instance (or the app after a restart) reads the same history.
    const other = (await o.reopen()).store;
    expect((await other.probeRuns.latest('production'))?.at).toBe(T0 + 9_000);
  });
  it("prunes runs past retention but keeps each environment's newest, however old", async () => {
    const day = 86_400_000;
    await o.store.probeRuns.record(run({ at: T0 }));
    await o.store.probeRuns.record(run({ at: T0 + day }));
    await o.store.probeRuns.record(run({ env: 'production', at: T0 }));
    await o.store.probeRuns.record(run({ at: T0 + 100 * day }));
    expect(await o.store.probeRuns.prune(T0 + 50 * day)).toBe(2);
    expect((await o.store.probeRuns.list('staging', 10)).map((r) => r.at)).toEqual([T0 + 100 * day]);
    expect((await o.store.probeRuns.latest('production'))?.at).toBe(T0);
  });
});
