import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReleaseRecord } from '../../src/ports/stores/releases.ts';
import { testDatabases, type OpenedStore } from '../support/test-databases.ts';

const rec = (over: Partial<ReleaseRecord>): ReleaseRecord => ({
  env: 'staging',
  app: 'autorisen',
  version: 1,
  releaseId: `id-${over.version ?? 1}`,
  flagValue: 'false',
  flagKnown: true,
  source: 'seen',
  actor: null,
  description: 'Initial release',
  at: 1_000,
  ...over,
});

describe.each(testDatabases())('release history store ($name)', (database) => {
  let opened: OpenedStore;
  beforeEach(async () => {
    opened = await database.open();
  });
  afterEach(async () => opened.cleanup());

  it('records releases and lists them newest first, per app', async () => {
    const { releases } = opened.store;
    await releases.record(rec({ version: 1 }));
    await releases.record(
      rec({
        version: 3,
        flagValue: 'true',
        source: 'flag',
        actor: 'U1',
        description: 'Set FEATURE_AUTORISEN config vars',
      }),
    );
    await releases.record(rec({ version: 2, flagValue: null, description: 'Remove FEATURE_AUTORISEN config vars' }));
    await releases.record(rec({ app: 'capecraft', env: 'production', version: 9 }));
    const list = await releases.list('autorisen', 10);
    expect(list.map((r) => r.version)).toEqual([3, 2, 1]);
    expect(list[0]).toEqual(
      rec({
        version: 3,
        flagValue: 'true',
        source: 'flag',
        actor: 'U1',
        description: 'Set FEATURE_AUTORISEN config vars',
      }),
    );
    expect(list[1]!.flagValue).toBeNull();
    expect(await releases.list('autorisen', 2)).toHaveLength(2);
    expect(await releases.get('capecraft', 9)).toMatchObject({ env: 'production' });
    expect(await releases.get('capecraft', 1)).toBeNull();
  });

  it('merges a second record of the same release: bot source and known value win, never regress', async () => {
    const { releases } = opened.store;
    await releases.record(
      rec({
        version: 4,
        source: 'webhook',
        flagKnown: false,
        flagValue: null,
        actor: 'dev@example.com',
        description: 'Rollback to v2',
      }),
    );
    await releases.record(
      rec({
        version: 4,
        source: 'rollback',
        flagKnown: true,
        flagValue: 'false',
        actor: 'U2',
        description: 'Rollback to v2',
      }),
    );
    await releases.record(
      rec({
        version: 4,
        source: 'seen',
        flagKnown: false,
        flagValue: null,
        actor: 'other@example.com',
        description: 'Rollback to v2',
      }),
    );
    expect(await releases.get('autorisen', 4)).toMatchObject({
      source: 'rollback',
      flagKnown: true,
      flagValue: 'false',
      actor: 'U2',
    });
  });

  it('is shared across instances on the same database', async () => {
    await opened.store.releases.record(rec({ version: 5, source: 'flag', actor: 'U3' }));
    const other = await opened.reopen();
    expect(await other.store.releases.get('autorisen', 5)).toMatchObject({ actor: 'U3' });
  });
});
