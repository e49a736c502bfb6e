import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDb } from '../../src/adapters/store/sqlite.ts';
import { loadConfig } from '../../src/config.ts';
import { defaultConfigYaml, USERS } from '../drivers/boot-app.ts';
import { buttonsOf } from './deploy-harness.ts';
import { bootReleaseWorld, CHANNEL, type ReleaseWorld } from './release-harness.ts';

/** Issue 11 §3: contract probes on demand, their failures, and a config that cannot be used. */
describe('/autorisen verify and contract probes', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  const verify = async (env: string) => {
    const res = await w.b.driver.command(`verify ${env}`, { userId: USERS.vic, channelId: CHANNEL });
    return (await w.b.slack.answerTo(res)) as { text: string; blocks?: unknown[] };
  };

  it('passes with the flag off: the namespaced health is 404, /me is 401 without a token and 200 with it', async () => {
    w = await bootReleaseWorld();
    const r = await verify('staging');
    expect(r.text).toContain('staging: health and 3 contract probe(s) pass (flag off)');
    expect(w.capecraft.hits).toContain('/api/autorisen/me (token)');
  });

  it('chooses the probes by the flag Heroku reports, and a failure says which probe and offers Flag off', async () => {
    w = await bootReleaseWorld();
    w.heroku.changeConfigVars('autorisen', { FEATURE_AUTORISEN: 'true' });
    // The flag is on but the app does not serve the namespaced route: that probe fails.
    const r = await verify('staging');
    expect(r.text).toMatch(/staging: 1 check\(s\) failed \(flag on\)/);
    expect(r.text).toMatch(/:x: GET \/api\/autorisen\/health: 404 \(expected 200\)/);
    expect(buttonsOf({ blocks: r.blocks } as never)).toEqual([
      { action_id: 'autorisen:run', value: 'flag off staging --reason "contract probes failed"' },
    ]);
    w.capecraft.flagOn = true;
    expect((await verify('staging')).text).toContain('pass (flag on)');
  });

  it('after a flag change the probes run; a failure after flag on offers Flag off, a pass says so', async () => {
    w = await bootReleaseWorld();
    const on = await w.b.driver.command('flag on staging', { userId: USERS.ana, channelId: CHANNEL });
    const [reply] = await w.b.slack.waitForResponses(1, on.responseId);
    const body = reply!.body as { text: string; blocks?: unknown[] };
    expect(w.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    expect(body.text).toMatch(
      /Contract probes fail with the flag on: GET \/api\/autorisen\/health: 404 \(expected 200\)/,
    );
    expect(buttonsOf({ blocks: body.blocks } as never).map((b) => b.value)).toEqual([
      'flag off staging --reason "contract probes failed after flag on"',
    ]);
    const off = await w.b.driver.command('flag off staging', { userId: USERS.ana, channelId: CHANNEL });
    const [offReply] = await w.b.slack.waitForResponses(1, off.responseId);
    expect((offReply!.body as { text: string }).text).toContain('3 contract probe(s) pass with the flag off');
  });

  it('stores every verify and flag-change answer for the checklist; a storage failure is logged and verify still answers', async () => {
    w = await bootReleaseWorld();
    await verify('staging');
    expect(await w.b.app.store.probeRuns.latest('staging')).toMatchObject({
      trigger: 'verify',
      ok: true,
      flag: 'off',
      actor: USERS.vic,
      health: { url: `${w.capecraft.url}/healthz`, status: 200 },
      results: expect.arrayContaining([expect.objectContaining({ name: 'GET /api/autorisen/me', status: 401 })]),
    });
    // After the flag change the dynos restart: only the settled answer is kept, as the one who changed it.
    const on = await w.b.driver.command('flag on staging', { userId: USERS.ana, channelId: CHANNEL });
    await w.b.slack.waitForResponses(1, on.responseId);
    expect(await w.b.app.store.probeRuns.list('staging', 10)).toMatchObject([
      { trigger: 'flag', ok: false, flag: 'on', actor: USERS.ana },
      { trigger: 'verify' },
    ]);

    const db = openSqliteDb(w.b.sqlitePath);
    await db.run('DROP TABLE probe_runs');
    await db.close();
    w.capecraft.flagOn = true;
    expect((await verify('staging')).text).toContain('staging: health and 3 contract probe(s) pass (flag on)');
    expect(w.b.logs).toContainEqual(
      expect.objectContaining({ msg: expect.stringContaining('contract probe result not stored'), trigger: 'verify' }),
    );
  });

  it('says which environment is unknown', async () => {
    w = await bootReleaseWorld();
    expect((await verify('qa')).text).toContain('There is no environment "qa"');
  });

  it('rejects a bad probes config with every problem listed', () => {
    const yaml = `${defaultConfigYaml()}
probes:
  staging:
    - { path: api/no-slash, expect: 200 }
    - { path: /x, expect: 200, colour: red }
  qa:
    - { path: /x, expect: 200 }
  production:
    - { path: /me, expect: 200, token_env: MISSING_TOKEN }
`;
    expect(() => loadConfig({}, () => yaml)).toThrow(/probes\.staging\.0\.path[\s\S]*probes\.staging\.1[\s\S]*colour/);
    const fixed = `${defaultConfigYaml()}
probes:
  qa:
    - { path: /x, expect: 200 }
  production:
    - { path: /me, expect: 200, token_env: MISSING_TOKEN }
`;
    expect(() => loadConfig({}, () => fixed)).toThrow(
      /probes\.qa: no environment is named "qa"[\s\S]*MISSING_TOKEN is not set/,
    );
  });
});
