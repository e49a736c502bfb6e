import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/ports/store.ts';
import type { DeployRecord } from '../../src/ports/stores/deploys.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const T0 = 1_760_000_000_000;

function deploy(id: string, over: Partial<DeployRecord> = {}): DeployRecord {
  return {
    id,
    env: 'production',
    app: 'capecraft',
    kind: 'deploy',
    ref: 'main',
    sha: 'a'.repeat(40),
    targetReleaseId: null,
    targetVersion: null,
    previousVersion: 41,
    requesterId: 'U1',
    approverId: 'U2',
    approvalId: 'appr-1',
    state: 'queued',
    backup: true,
    backupTransferId: null,
    backupName: null,
    buildId: null,
    releaseVersion: null,
    githubDeploymentId: null,
    statusChannel: null,
    statusTs: null,
    lockToken: 'tok',
    outputTail: null,
    error: null,
    correlationId: `corr-${id}`,
    createdAt: T0,
    updatedAt: T0,
    finishedAt: null,
    ...over,
  };
}

describe.each(testDatabases())('deploys sub-store on $name', (database) => {
  let o: OpenedStore;
  let store: Store;
  beforeEach(async () => {
    o = await database.open();
    store = o.store;
  });
  afterEach(async () => {
    await o.cleanup();
  });

  it('round-trips every field, including big ids and booleans', async () => {
    const rec = deploy('d1', {
      githubDeploymentId: 2_147_483_648_123,
      targetVersion: 40,
      backup: false,
      kind: 'rollback',
      ref: null,
    });
    await store.deploys.create(rec);
    expect(await store.deploys.get('d1')).toEqual(rec);
    expect(await store.deploys.get('nope')).toBeNull();
  });

  it('moves state by compare-and-set: only the first of two racing instances wins', async () => {
    await store.deploys.create(deploy('d2', { state: 'building' }));
    const other = await o.reopen();
    const results = await Promise.all([
      store.deploys.transition('d2', 'building', 'verifying', { releaseVersion: 42, updatedAt: T0 + 1 }),
      other.store.deploys.transition('d2', 'building', 'verifying', { releaseVersion: 43, updatedAt: T0 + 2 }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const got = (await store.deploys.get('d2'))!;
    expect(got.state).toBe('verifying');
    expect([42, 43]).toContain(got.releaseVersion);
    expect(await store.deploys.transition('d2', 'building', 'failed', { error: 'late', updatedAt: T0 + 3 })).toBe(
      false,
    );
    expect((await store.deploys.get('d2'))!.error).toBeNull();
  });

  it('writes the audit row with the transition', async () => {
    await store.deploys.create(deploy('d3', { state: 'verifying' }));
    const ok = await store.deploys.transition(
      'd3',
      'verifying',
      'succeeded',
      { finishedAt: T0 + 9, updatedAt: T0 + 9 },
      {
        at: T0 + 9,
        correlationId: 'corr-d3',
        actorId: 'U1',
        channelId: null,
        command: 'deploy',
        args: 'deploy production',
        action: 'execute',
        result: 'ok',
        detail: 'v42',
        durationMs: null,
        env: 'production',
      },
    );
    expect(ok).toBe(true);
    const rows = await store.audit.latest({ limit: 5 });
    expect(rows[0]).toMatchObject({ command: 'deploy', result: 'ok', detail: 'v42' });
    expect((await store.deploys.get('d3'))!.finishedAt).toBe(T0 + 9);
  });

  it('updates progress fields without touching state', async () => {
    await store.deploys.create(deploy('d4', { state: 'building' }));
    await store.deploys.update('d4', { buildId: 'b-1', statusChannel: 'C1', statusTs: '1.2', outputTail: 'line' });
    expect(await store.deploys.get('d4')).toMatchObject({
      state: 'building',
      buildId: 'b-1',
      statusChannel: 'C1',
      statusTs: '1.2',
      outputTail: 'line',
    });
  });

  it('lists unfinished work oldest first, and the latest per environment', async () => {
    await store.deploys.create(deploy('a', { state: 'building', createdAt: T0 + 2 }));
    await store.deploys.create(deploy('b', { state: 'succeeded', createdAt: T0 + 1 }));
    await store.deploys.create(deploy('c', { state: 'verifying', createdAt: T0 + 1 }));
    await store.deploys.create(deploy('d', { state: 'failed', env: 'staging', createdAt: T0 + 3 }));
    expect((await store.deploys.listActive()).map((d) => d.id)).toEqual(['c', 'a']);
    expect((await store.deploys.latest('production', 2)).map((d) => d.id)).toEqual(['a', 'c']);
  });
});
