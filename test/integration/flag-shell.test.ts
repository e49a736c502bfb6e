import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { defaultConfigYaml, defaultHerokuApps } from '../drivers/boot-app.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';

/** The flag in the local shell: the same dispatcher with no Slack at all, scripted on stdin. */
let heroku: FakeHeroku;
let dir: string;
afterEach(async () => {
  await heroku?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runShell(lines: string[]): Promise<string> {
  dir = mkdtempSync(join(tmpdir(), 'autorisen-flag-shell-'));
  const env = {
    AUTORISEN_MODE: 'shell',
    AUTORISEN_SHELL_USER: 'UANA0001',
    AUTORISEN_SHELL_ROLE: 'operator',
    LOG_LEVEL: 'silent',
    HEROKU_API_KEY: heroku.apiKey,
    HEROKU_API_URL: heroku.url,
    HEROKU_DATA_API_URL: heroku.dataUrl,
    SQLITE_PATH: join(dir, 'bot.db'),
  };
  const config = loadConfig(env, () => defaultConfigYaml());
  let out = '';
  const output = new Writable({
    write: (chunk, _e, cb) => {
      out += String(chunk);
      cb();
    },
  });
  const app = await createApp(config, {
    logger: createLogger(config),
    shellIO: { input: Readable.from(lines.map((l) => `${l}\n`)), output, interactive: false },
  });
  await app.start();
  await app.stop();
  return out;
}

describe('flag in the shell', () => {
  it('status, on in staging, on in production approved by another user, then off', async () => {
    heroku = await startFakeHeroku({ apps: defaultHerokuApps() });
    const out = await runShell([
      '/autorisen flag status',
      '/autorisen flag on staging --reason "shell test"',
      '/autorisen flag on production --reason "go"',
      '1',
      '/as UBEN0002 operator',
      '1',
      '/autorisen flag off production --reason "brake"',
    ]);
    expect(out).toMatch(/staging \(autorisen\): FEATURE_AUTORISEN "false" \(off\)/);
    expect(out).toMatch(/turned the rollout flag on in staging/);
    expect(out).toMatch(/someone else has to approve/);
    expect(out).toMatch(/done by @UBEN0002/);
    expect(out).toMatch(/turned the rollout flag off in production/);
    const descriptions = heroku.app('capecraft').releases.map((r) => r.description);
    expect(descriptions.slice(-2)).toEqual(['Set FEATURE_AUTORISEN config vars', 'Set FEATURE_AUTORISEN config vars']);
    expect(heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');
    expect(heroku.requestsTo('PATCH', '/apps/capecraft/config-vars').map((r) => r.body)).toEqual([
      { FEATURE_AUTORISEN: 'true' },
      { FEATURE_AUTORISEN: 'false' },
    ]);
  });
});
