import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';

const SENTRY_SECRET = 'sentry-secret-for-buttons';

/** Sentry's docs example, compact as Sentry sends it; its project "front-end" is production here. */
const sentryBody = Buffer.from(
  JSON.stringify(
    JSON.parse(readFileSync(new URL('../fixtures/sentry/event_alert_triggered.docs.json', import.meta.url), 'utf8')),
  ),
);

/** The default test config with the Sentry project mapped to production and alerts routed to CALERTS. */
const yaml = defaultConfigYaml().replace('aliases: [prod, capecraft]', 'aliases: [prod, capecraft, front-end]');

interface Btn {
  action_id: string;
  value: string;
  text: { text: string };
}

function buttonsOf(call: SlackCall): Btn[] {
  const blocks = (call.args.blocks ?? []) as { type: string; elements?: Btn[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
}

async function postSentry(b: BootedApp): Promise<SlackCall> {
  const res = await fetch(`${b.url}/hooks/sentry`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'sentry-hook-resource': 'event_alert',
      'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
      'sentry-hook-signature': createHmac('sha256', SENTRY_SECRET).update(sentryBody).digest('hex'),
    },
    body: sentryBody,
  });
  expect(res.status).toBe(202);
  const [post] = await b.slack.waitForCalls(
    (c) => c.method === 'chat.postMessage' && buttonsOf(c).length > 0,
    1,
    10_000,
  );
  return post!;
}

describe('alert buttons drive the real commands', () => {
  let b: BootedApp;
  afterEach(async () => b?.stop());

  it('"Turn flag off" runs the kill switch as the clicker; a viewer cannot acknowledge', async () => {
    b = await bootApp({
      configYaml: yaml,
      env: { SENTRY_CLIENT_SECRET: SENTRY_SECRET },
      herokuApps: [
        {
          name: 'autorisen',
          configVars: { FEATURE_AUTORISEN: 'true' },
          releases: [{ description: 'Initial release' }],
        },
        {
          name: 'capecraft',
          configVars: { FEATURE_AUTORISEN: 'true' },
          releases: [{ description: 'Initial release' }],
        },
      ],
    });
    const post = await postSentry(b);
    const buttons = buttonsOf(post);
    expect(buttons.map((x) => x.text.text)).toEqual(expect.arrayContaining(['Acknowledge', 'Roll back']));
    const killSwitch = buttons.find((x) => x.value.startsWith('flag off production'))!;
    expect(killSwitch, 'a Turn flag off button for production').toBeDefined();

    const denied = await b.driver.click({
      actionId: buttons.find((x) => x.text.text === 'Acknowledge')!.action_id,
      value: buttons.find((x) => x.text.text === 'Acknowledge')!.value,
      userId: USERS.vic,
      channelId: String(post.args.channel),
      messageTs: '1.0',
    });
    const [deniedReply] = await b.slack.waitForResponses(1, denied.responseId);
    expect(String(deniedReply!.body.text)).toMatch(/needs the operator role; you are a viewer/);

    const click = await b.driver.click({
      actionId: killSwitch.action_id,
      value: killSwitch.value,
      userId: USERS.ben,
      channelId: String(post.args.channel),
      messageTs: '1.0',
    });
    expect(click.status).toBe(200);
    const [reply] = await b.slack.waitForResponses(1, click.responseId, 10_000);
    expect(b.heroku.apps.get('capecraft')!.configVars.FEATURE_AUTORISEN).toBe('false');
    expect(reply!.body.response_type).toBe('in_channel');
    const rows = await b.app.store.audit.latest({ limit: 5, actorId: USERS.ben });
    expect(rows[0]).toMatchObject({ command: 'flag off', action: 'execute', result: 'ok', env: 'production' });
  });
});
