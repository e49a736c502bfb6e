import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';

/**
 * Issue 9 item 8: a silence holds back repeats only. After an operator silences an alert, an
 * Acknowledge click and a Sentry resolution still reach the alert message (the fake Slack records
 * the chat.update), and the ack reply promises only what happens.
 */
const SECRET = 'sentry-secret-for-silence';
const yaml = defaultConfigYaml().replace('aliases: [prod, capecraft]', 'aliases: [prod, capecraft, front-end]');
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/sentry/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/** Sentry's docs event (issue 1117540176) as event `n`, and the docs issue body turned into its resolution. */
const event = (n: number) => {
  const body = fixture('event_alert_triggered.docs.json') as { data: { event: Record<string, unknown> } };
  body.data.event.event_id = `e4874d664c3540c1a32eab185f12${String(n).padStart(4, '0')}`;
  return { resource: 'event_alert', body: Buffer.from(JSON.stringify(body)) };
};
const resolution = () => {
  const body = fixture('issue_created.docs.json') as { action: string; data: { issue: Record<string, unknown> } };
  body.action = 'resolved';
  body.data.issue.id = '1117540176';
  return { resource: 'issue', body: Buffer.from(JSON.stringify(body)) };
};

async function deliver(b: BootedApp, d: { resource: string; body: Buffer }): Promise<void> {
  const res = await fetch(`${b.url}/hooks/sentry`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'sentry-hook-resource': d.resource,
      'sentry-hook-signature': createHmac('sha256', SECRET).update(d.body).digest('hex'),
    },
    body: d.body,
  });
  expect(res.status).toBe(202);
}

interface Btn {
  action_id: string;
  value: string;
  text: { text: string };
}
const buttonsOf = (c: SlackCall): Btn[] =>
  ((c.args.blocks ?? []) as { type: string; elements?: Btn[] }[])
    .filter((x) => x.type === 'actions')
    .flatMap((x) => x.elements ?? []);
const shown = (c: SlackCall) => `${String(c.args.text)}\n${JSON.stringify(c.args.blocks)}`;

describe('a silenced alert still shows what happened to it', () => {
  let b: BootedApp;
  afterEach(async () => b?.stop());

  it('an acknowledgement and a Sentry resolution rewrite the message of a silenced alert; repeats stay quiet', async () => {
    b = await bootApp({ configYaml: yaml, env: { SENTRY_CLIENT_SECRET: SECRET } });
    await deliver(b, event(1));
    const [post] = await b.slack.waitForCalls((c) => c.method === 'chat.postMessage' && buttonsOf(c).length > 0);
    const channel = String(post!.args.channel);
    const ts = String(b.slack.messages.get([...b.slack.messages.keys()].find((k) => k.startsWith(channel))!)!.ts);
    const updatesOf = () => b.slack.calls.filter((c) => c.method === 'chat.update' && c.args.ts === ts);
    const click = (label: string) => {
      const btn = buttonsOf(updatesOf().at(-1) ?? post!).find((x) => x.text.text === label)!;
      return b.driver.click({
        actionId: btn.action_id,
        value: btn.value,
        userId: USERS.ben,
        channelId: channel,
        messageTs: ts,
      });
    };

    const silence = await click('Silence 1 h');
    await b.slack.waitForResponses(1, silence.responseId);
    await b.slack.waitForCalls(
      (c) => c.method === 'chat.update' && c.args.ts === ts && /Silenced until/.test(shown(c)),
    );

    await deliver(b, event(2)); // a repeat: counted, not posted
    const ack = await click('Acknowledge');
    const [reply] = await b.slack.waitForResponses(1, ack.responseId);
    expect(String(reply!.body.text)).toContain('Its alert message is being updated to show who acknowledged it.');
    expect(String(reply!.body.text)).not.toContain('now shows it');
    const [acked] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.update' && c.args.ts === ts && /acknowledged by <@UBEN0002>/.test(String(c.args.text)),
      1,
      10_000,
    );
    expect(shown(acked!)).toMatch(/Silenced until/);
    expect(buttonsOf(acked!).map((x) => x.text.text)).not.toContain('Acknowledge');

    await deliver(b, resolution());
    const [resolved] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.update' && c.args.ts === ts && /— resolved/.test(String(c.args.text)),
      1,
      10_000,
    );
    expect(shown(resolved!)).toMatch(/Resolved by Sentry \(resolved\)/);
    expect(shown(resolved!)).not.toMatch(/Silenced until/);
    expect(buttonsOf(resolved!)).toEqual([]);
    // The repeat during the silence never became a thread reply.
    expect(b.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts)).toEqual([]);
  });
});
