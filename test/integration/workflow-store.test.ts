import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { newRun } from '../../src/services/workflows/new-run.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const T0 = 1_760_000_000_000;

function run(id: string, over: Partial<WorkflowRun> = {}): WorkflowRun {
  const fresh = newRun({
    id,
    workflow: 'release',
    env: 'production',
    input: { ref: 'main', dryRun: false },
    requesterId: 'U1',
    lockToken: 'tok',
    correlationId: `corr-${id}`,
    now: T0,
  });
  return { ...fresh, ...over };
}

describe.each(testDatabases())('workflow runs sub-store on $name', (database) => {
  let o: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    o = await database.open();
    store = o.store;
  });
  afterEach(async () => {
    await o.cleanup();
  });

  it('round-trips a run with its JSON input, data and scratch', async () => {
    await store.workflows.create(run('r1', { scratch: { buildId: 'b-1' }, data: { ci: { green: true } } }));
    expect(await store.workflows.get('r1')).toEqual(
      run('r1', { scratch: { buildId: 'b-1' }, data: { ci: { green: true } } }),
    );
    expect(await store.workflows.get('nope')).toBeNull();
  });

  it('advances by compare-and-set on the version: the second writer at the same version loses', async () => {
    await store.workflows.create(run('r1'));
    const a = store.workflows.advance('r1', 0, { stepIndex: 1, data: { a: {} }, updatedAt: T0 + 1 });
    const b = store.workflows.advance('r1', 0, { stepIndex: 5, updatedAt: T0 + 2 });
    const results = await Promise.all([a, b]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const now = (await store.workflows.get('r1'))!;
    expect(now.version).toBe(1);
    expect([1, 5]).toContain(now.stepIndex);
    expect(await store.workflows.advance('r1', 0, { state: 'done', updatedAt: T0 + 3 })).toBe(false);
  });

  it('writes the audit row in the same transaction, and nothing when the CAS loses', async () => {
    await store.workflows.create(run('r1'));
    const entry = {
      at: T0,
      correlationId: 'c',
      actorId: 'U1',
      channelId: null,
      command: 'release',
      args: 'release r1',
      action: 'workflow:step',
      result: 'ok',
      detail: 'ci done',
      durationMs: null,
      env: 'production',
    };
    expect(await store.workflows.advance('r1', 0, { stepIndex: 1, updatedAt: T0 }, entry)).toBe(true);
    expect(await store.workflows.advance('r1', 0, { stepIndex: 2, updatedAt: T0 }, { ...entry, detail: 'x' })).toBe(
      false,
    );
    const rows = await store.audit.latest({ limit: 10 });
    expect(rows.filter((r) => r.action === 'workflow:step').map((r) => r.detail)).toEqual(['ci done']);
  });

  it('clears nullable fields when the patch says null, and lists only running or waiting runs', async () => {
    await store.workflows.create(run('a', { state: 'waiting', waitingFor: 'approved', wakeAt: T0 + 60_000 }));
    await store.workflows.create(
      run('b', { state: 'failed', error: 'x', offers: ['retry', 'abandon'], createdAt: T0 + 1 }),
    );
    await store.workflows.create(run('c', { state: 'done', createdAt: T0 + 2, env: 'staging' }));
    await store.workflows.create(run('d', { createdAt: T0 + 3 }));
    expect((await store.workflows.listActive()).map((r) => r.id)).toEqual(['a', 'd']);
    expect((await store.workflows.get('b'))!.offers).toEqual(['retry', 'abandon']);
    await store.workflows.advance('a', 0, { state: 'running', waitingFor: null, wakeAt: null, updatedAt: T0 });
    expect(await store.workflows.get('a')).toMatchObject({ state: 'running', waitingFor: null, wakeAt: null });
    expect((await store.workflows.latest({ workflow: 'release', env: null, limit: 2 })).map((r) => r.id)).toEqual([
      'd',
      'c',
    ]);
    expect((await store.workflows.latest({ workflow: null, env: 'staging', limit: 5 })).map((r) => r.id)).toEqual([
      'c',
    ]);
  });
});
