import { afterEach, describe, expect, it } from 'vitest';
import type { GuardRecord } from '../../src/ports/stores/guards.ts';
import { laterChange } from '../../src/services/guard/guard-standdown.ts';
import { type OpenedStore, testDatabase } from '../support/test-databases.ts';

/**
 * The guard's stand-down note is posted as it is: a newer release's description and a Heroku
 * user's email are outside text (escaped), while a person the bot knows stays a live mention.
 */
let opened: OpenedStore | undefined;
afterEach(async () => {
  await opened?.cleanup();
  opened = undefined;
});

const guard = { releaseVersion: 5, label: 'FEATURE_AUTORISEN went on', startedAt: 0, changeKey: 'flag:staging:v5' };
const env = { name: 'staging', herokuApp: 'autorisen' };
const release = { env: 'staging', app: 'autorisen', releaseId: 'r6', flagValue: null, flagKnown: false, at: 1000 };

describe('why the guard stood down', () => {
  it('escapes what Heroku says and keeps the bot’s mentions live', async () => {
    opened = await testDatabase('sqlite').open();
    const { store } = opened;
    await store.releases.record({
      ...release,
      version: 6,
      source: 'seen',
      actor: 'ops+<!here>@example.com',
      description: 'Hotfix <!channel> & friends',
    });
    const seen = await laterChange(store, env, guard as GuardRecord, 2000);
    expect(seen).toBe(
      'standing down: release v6 (Hotfix &lt;!channel&gt; &amp; friends) by ops+&lt;!here&gt;@example.com after FEATURE_AUTORISEN went on',
    );
    // The bot's own record of the same release (a person's flag change) replaces the observed one.
    await store.releases.record({ ...release, version: 6, source: 'flag', actor: 'UBEN0002', description: 'x' });
    expect(await laterChange(store, env, guard as GuardRecord, 2000)).toBe(
      'standing down: the flag was changed (v6) by <@UBEN0002> after FEATURE_AUTORISEN went on',
    );
  });
});
