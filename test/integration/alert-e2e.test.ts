import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/ports/clock.ts';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import { buttonsOf, messages, textOf, until } from './deploy-harness.ts';

/**
 * Alerts through the whole app (bootApp): signed webhooks on the HTTP port, the delivery worker,
 * the real Slack adapter against the fake Slack API, buttons and `/autorisen alerts` over signed
 * Slack requests, and the Roll back button reaching the deploy capability's approval.
 */
const SENTRY_SECRET = 'sentry-secret-e2e';
const HEROKU_SECRET = 'heroku-secret-e2e';
const CHANNEL = 'CALERTS';

const compact = (path: string) =>
  Buffer.from(JSON.stringify(JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8'))));
/** Sentry's docs issue alert (project "front-end") and a real Heroku release of app "my-app", v6644, settled 2023-08-03T10:00:30Z. */
const sentryBody = compact('sentry/event_alert_triggered.docs.json');
const releaseBody = compact('heroku/webhook_api_release_update.real_redacted.json');
const RELEASED_AT = Date.parse('2023-08-03T10:00:30Z');

/** The default test config, with the fixtures' Sentry project and Heroku app mapped to production. */
const yaml = defaultConfigYaml().replace('aliases: [prod, capecraft]', 'aliases: [prod, capecraft, front-end, my-app]');

/** Real time, shifted so the app starts 12½ minutes after the fixture's release settled. */
function clockAfterRelease(): Clock {
  const offset = Date.now() - (RELEASED_AT + 12.5 * 60_000);
  return { now: () => Date.now() - offset, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
}

async function hook(b: BootedApp, path: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  const res = await fetch(`${b.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return res.status;
}
const sentryHeaders = (body: Buffer) => ({
  'sentry-hook-resource': 'event_alert',
  'sentry-hook-signature': createHmac('sha256', SENTRY_SECRET).update(body).digest('hex'),
});
const herokuHeaders = (body: Buffer) => ({
  'heroku-webhook-hmac-sha256': createHmac('sha256', HEROKU_SECRET).update(body).digest('base64'),
});

/** `/autorisen <text>` as `user`; the answer's text, whether it came in the ack or on response_url. */
async function command(b: BootedApp, text: string, user: string): Promise<string> {
  const res = await b.driver.command(text, { userId: user, channelId: CHANNEL });
  expect(res.status).toBe(200);
  const acked = res.json as { text?: string } | null;
  if (acked?.text) return acked.text;
  const [reply] = await b.slack.waitForResponses(1, res.responseId);
  return `${String(reply!.body.text)}\n${JSON.stringify(reply!.body.blocks ?? null)}`;
}

describe('alerts through the whole app', () => {
  let b: BootedApp;
  afterEach(async () => b?.stop());

  it('a Heroku release is announced and recorded; the next alert names it; list, routes, Roll back and Acknowledge work', async () => {
    b = await bootApp({
      configYaml: yaml,
      clock: clockAfterRelease(),
      env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET, HEROKU_WEBHOOK_SECRET: HEROKU_SECRET },
    });
    const releasesBefore = b.heroku.app('capecraft').releases.length;
    expect(releasesBefore).toBeGreaterThanOrEqual(2);

    // 1. A release made outside the bot: posted to production's deploy channel, and in the release history.
    expect(await hook(b, '/hooks/heroku', releaseBody, herokuHeaders(releaseBody))).toBe(202);
    const notice = await until(
      () => messages(b).find((m) => m.channel === 'CDEPLOYPRD'),
      'the release notice in the deploy channel',
    );
    expect(notice.text).toContain(
      'Release v6644 of my-app (production): Deploy 69eec518 by hodor@unsplash.com — succeeded',
    );
    expect(await b.app.store.releases.get('my-app', 6644)).toMatchObject({
      env: 'production',
      source: 'webhook',
      actor: 'hodor@unsplash.com',
      at: RELEASED_AT,
    });

    // 2. An error 12 minutes later: one message with buttons, saying which release it came after.
    expect(await hook(b, '/hooks/sentry', sentryBody, sentryHeaders(sentryBody))).toBe(202);
    const alert = await until(
      () => messages(b).find((m) => m.channel === CHANNEL && buttonsOf(m).length > 0),
      'the alert message',
    );
    expect(alert.text).toContain('[production] ReferenceError: heck is not defined');
    expect(textOf(alert)).toContain('12 min after v6644 (deploy of 69eec51 by hodor@unsplash.com)');

    // 3. `/autorisen alerts` lists it; `/autorisen alerts routes` shows where things go.
    const open = await command(b, 'alerts', USERS.vic);
    expect(open).toContain('1 open alert (firing, not acknowledged)');
    expect(open).toContain('[production] error ×1 ReferenceError: heck is not defined');
    const routes = await command(b, 'alerts routes', USERS.vic);
    expect(routes).toContain(`anything else → <#${CHANNEL}> (default)`);
    expect(routes).toContain('Heroku events for production (capecraft) → <#CDEPLOYPRD>');

    // 4. Roll back on a production alert asks for approval; nothing is rolled back yet.
    const rollBack = buttonsOf(alert).find((x) => x.value === 'rollback production')!;
    expect(rollBack).toBeDefined();
    const seen = new Set(b.slack.messages.keys());
    const click = await b.driver.click({
      actionId: rollBack.action_id,
      value: rollBack.value,
      userId: USERS.ben,
      channelId: CHANNEL,
      messageTs: alert.ts,
    });
    expect(click.status).toBe(200);
    const ask = await until(
      () =>
        messages(b).find(
          (m) => !seen.has(`${m.channel}/${m.ts}`) && buttonsOf(m).some((x) => x.action_id === 'autorisen:approve'),
        ),
      'the rollback approval message',
    );
    expect(textOf(ask)).toMatch(/from v\d+ to v\d+/);
    expect(b.heroku.requestsTo('POST', '/apps/capecraft/releases')).toHaveLength(0);
    expect(b.heroku.app('capecraft').releases).toHaveLength(releasesBefore);

    // 5. Acknowledge by an operator rewrites the alert message with who acknowledged it.
    const ack = buttonsOf(alert).find((x) => x.action_id === 'autorisen:alert-ack')!;
    await b.driver.click({
      actionId: ack.action_id,
      value: ack.value,
      userId: USERS.ana,
      channelId: CHANNEL,
      messageTs: alert.ts,
    });
    const acked = await until(() => {
      const m = b.slack.messages.get(`${CHANNEL}/${alert.ts}`);
      return m?.text?.includes(`acknowledged by <@${USERS.ana}>`) ? m : null;
    }, 'the alert message rewritten with the acknowledgement');
    expect(buttonsOf(acked).map((x) => x.action_id)).not.toContain('autorisen:alert-ack');
    expect(textOf(acked)).toMatch(new RegExp(`Acknowledged by <@${USERS.ana}> at \\d\\d:\\d\\d UTC`));
    expect(await command(b, 'alerts production', USERS.vic)).toContain('No open alerts on production');
  });
});
