import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';

/**
 * The Heroku budget through the whole app: signed slash commands and a signed Heroku webhook on the
 * HTTP port, the fake Heroku API counting what reaches it.
 */
const HEROKU_SECRET = 'heroku-secret-budget';
/** A real (redacted) api:release delivery for app "my-app" (test/fixtures/README.md), sent byte for byte. */
const releaseBody = readFileSync(
  new URL('../fixtures/heroku/webhook_api_release_update.real_redacted.json', import.meta.url),
);

/** The default config with production on the fixture's app, "my-app". */
const yaml = defaultConfigYaml().replace('heroku_app: capecraft', 'heroku_app: my-app');
const apps = () => [
  { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false' } },
  { name: 'my-app', configVars: { FEATURE_AUTORISEN: 'false' } },
];

let b: BootedApp;
afterEach(async () => b?.stop());

async function say(userId: string, text: string): Promise<string> {
  const res = await b.driver.command(text, { userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  const acked = res.json as { text?: string } | null;
  if (acked?.text) return acked.text;
  const [reply] = await b.slack.waitForResponses(1, res.responseId);
  return String(reply!.body.text);
}

const configReads = () => b.heroku.requestsTo('GET', '/apps/my-app/config-vars').length;

describe('heroku budget through the app', () => {
  it('flag status is served from the cache until a signed api:release webhook says the app changed', async () => {
    b = await bootApp({ configYaml: yaml, herokuApps: apps(), env: { HEROKU_WEBHOOK_SECRET: HEROKU_SECRET } });
    expect(await say(USERS.vic, 'flag status production')).toMatch(/FEATURE_AUTORISEN "false"/);
    expect(await say(USERS.vic, 'flag status production')).toMatch(/FEATURE_AUTORISEN "false"/);
    expect(configReads()).toBe(1);

    // Someone turns it on in the dashboard: the cache does not know yet.
    b.heroku.changeConfigVars('my-app', { FEATURE_AUTORISEN: 'true' });
    expect(await say(USERS.vic, 'flag status production')).toMatch(/FEATURE_AUTORISEN "false"/);

    // Heroku tells us about the release (really signed, the real payload).
    const res = await fetch(`${b.url}/hooks/heroku`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'heroku-webhook-hmac-sha256': createHmac('sha256', HEROKU_SECRET).update(releaseBody).digest('base64'),
      },
      body: releaseBody,
    });
    expect(res.status).toBe(202);
    expect(await say(USERS.vic, 'flag status production')).toMatch(/FEATURE_AUTORISEN "true"/);
    expect(configReads()).toBe(2);
  });

  it("the bot's own flag flip invalidates: the next status shows it without waiting for the TTL", async () => {
    b = await bootApp({ configYaml: yaml, herokuApps: apps() });
    expect(await say(USERS.vic, 'flag status staging')).toMatch(/"false"/);
    expect(await say(USERS.ana, 'flag on staging --reason test')).toMatch(/turned the rollout flag \*on\*/);
    expect(await say(USERS.vic, 'flag status staging')).toMatch(/"true"/);
  });

  it('with the budget nearly spent, flag status gives way and the kill switch still runs', async () => {
    b = await bootApp({ configYaml: yaml, herokuApps: apps() });
    b.heroku.changeConfigVars('my-app', { FEATURE_AUTORISEN: 'true' });
    b.heroku.rateLimitRemaining = 30;
    // The first answer tells the bot how little is left (nothing known before it: the read goes out).
    expect(await say(USERS.vic, 'flag status staging')).toMatch(/"false"/);
    expect(await say(USERS.vic, 'flag status production')).toMatch(
      /budget is low .*keeping it for deploys, rollbacks and the kill switch/,
    );
    const before = b.heroku.apiRequests().length;
    expect(await say(USERS.cy, 'flag off production --reason "errors"')).toMatch(
      /turned the rollout flag \*off\* in production/,
    );
    expect(b.heroku.app('my-app').configVars.FEATURE_AUTORISEN).toBe('false');
    expect(b.heroku.apiRequests().length).toBeGreaterThan(before);
  });
});
