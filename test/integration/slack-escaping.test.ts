import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';

/**
 * Issue 9 item 9: text from outside never becomes Slack markup. A Sentry title, an Alertmanager
 * summary, a Grafana title and a lock or flag reason carrying `<!here>`, `<!channel>` or `<b>&`
 * reach Slack escaped (asserted on what the fake Slack received), while the bot's own mentions
 * stay live. Long emoji titles are cut at code-point boundaries.
 */
const SENTRY = 'sentry-secret-escaping';
const AM = 'am-token-escaping';
const GRAFANA = 'grafana-token-escaping';
const yaml = defaultConfigYaml().replace('aliases: [prod, capecraft]', 'aliases: [prod, capecraft, front-end]');
const json = (path: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const HOSTILE = ['<!here>', '<!channel>', '<b>&'] as const;
const ESCAPED = { '<!here>': '&lt;!here&gt;', '<!channel>': '&lt;!channel&gt;', '<b>&': '&lt;b&gt;&amp;' } as const;

let b: BootedApp;
beforeAll(async () => {
  b = await bootApp({
    configYaml: yaml,
    env: { SENTRY_CLIENT_SECRET: SENTRY, ALERTMANAGER_TOKEN: AM, GRAFANA_TOKEN: GRAFANA },
  });
});
afterAll(async () => b?.stop());

async function hook(path: string, body: Buffer, headers: Record<string, string>): Promise<void> {
  const res = await fetch(`${b.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  expect(res.status).toBe(202);
}

/**
 * Every text Slack shows for a call: the fallback and each block, as JSON. Button values are left
 * out: they are command lines handed back on a click (the command escapes its reason when shown).
 */
const received = (c: SlackCall) =>
  `${String(c.args.text)}\n${JSON.stringify(c.args.blocks ?? [], (k, v) => (k === 'value' ? undefined : v))}`;

/** A lone UTF-16 surrogate: half an emoji, which Slack shows as "�". */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

async function postedWith(marker: string): Promise<string> {
  const [call] = await b.slack.waitForCalls(
    (c) => c.method === 'chat.postMessage' && String(c.args.text).includes(marker),
    1,
    10_000,
  );
  return received(call!);
}

function expectEscaped(text: string, hostile: (typeof HOSTILE)[number]) {
  expect(text).toContain(ESCAPED[hostile]);
  expect(text).not.toContain(hostile);
}

describe.each(HOSTILE)('outside text %s', (hostile) => {
  const tag = `t${HOSTILE.indexOf(hostile)}`;

  it('in a Sentry title is posted escaped', async () => {
    const body = json('sentry/event_alert_triggered.docs.json') as { data: { event: Record<string, unknown> } };
    body.data.event.title = `${hostile} sentry ${tag}`;
    body.data.event.issue_id = `77${HOSTILE.indexOf(hostile)}`;
    const raw = Buffer.from(JSON.stringify(body));
    await hook('/hooks/sentry', raw, {
      'sentry-hook-resource': 'event_alert',
      'sentry-hook-signature': createHmac('sha256', SENTRY).update(raw).digest('hex'),
    });
    expectEscaped(await postedWith(`sentry ${tag}`), hostile);
  });

  it('in an Alertmanager summary is posted escaped', async () => {
    const body = json('alertmanager/webhook_v4_firing_am0.27.0.faultline.wire.json') as {
      alerts: { annotations: Record<string, string>; fingerprint: string }[];
    };
    body.alerts[0]!.annotations.summary = `${hostile} am ${tag}`;
    body.alerts[0]!.fingerprint = `am${tag}`;
    await hook('/hooks/alertmanager', Buffer.from(JSON.stringify(body)), { authorization: `Bearer ${AM}` });
    expectEscaped(await postedWith(`am ${tag}`), hostile);
  });

  it('in a Grafana title is posted escaped', async () => {
    const body = json('grafana/webhook_v1_firing.grafana_docs.json') as {
      alerts: { annotations: Record<string, string>; fingerprint: string }[];
    };
    body.alerts[0]!.annotations = { summary: `${hostile} grafana ${tag}` };
    body.alerts[0]!.fingerprint = `gf${tag}`;
    await hook('/hooks/grafana', Buffer.from(JSON.stringify(body)), { authorization: `Bearer ${GRAFANA}` });
    expectEscaped(await postedWith(`grafana ${tag}`), hostile);
  });

  it('as a lock reason is answered escaped, while the locker is still mentioned', async () => {
    const r = await b.driver.command(`lock staging ${hostile} lock ${tag}`, { userId: USERS.ben });
    const [reply] = await b.slack.waitForResponses(1, r.responseId);
    const text = JSON.stringify(reply!.body);
    expectEscaped(text, hostile);
    expect(text).toContain(`<@${USERS.ben}>`);
    const unlock = await b.driver.command('unlock staging', { userId: USERS.ben });
    await b.slack.waitForResponses(1, unlock.responseId);
  });

  it('as a flag reason is shown escaped', async () => {
    const r = await b.driver.command(`flag on staging --reason "${hostile} flag ${tag}" --dry-run`, {
      userId: USERS.ben,
    });
    const reply = await b.slack.answerTo(r);
    const text = JSON.stringify(reply);
    expect(text).toContain(`flag ${tag}`);
    expectEscaped(text, hostile);
  });
});

describe('long outside text', () => {
  it('an emoji title split across blocks is cut at code-point boundaries', async () => {
    const body = json('sentry/event_alert_triggered.docs.json') as { data: { event: Record<string, unknown> } };
    body.data.event.title = `emoji ${'😀'.repeat(2_000)}`;
    body.data.event.issue_id = '7799';
    const raw = Buffer.from(JSON.stringify(body));
    await hook('/hooks/sentry', raw, {
      'sentry-hook-resource': 'event_alert',
      'sentry-hook-signature': createHmac('sha256', SENTRY).update(raw).digest('hex'),
    });
    const [call] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && String(c.args.text).includes('emoji 😀'),
      1,
      10_000,
    );
    const blocks = call!.args.blocks as { text?: { text: string } }[];
    const split = blocks.filter((x) => x.text?.text.includes('😀'));
    expect(split.length).toBeGreaterThan(1); // it was split across sections
    for (const x of split) expect(x.text!.text).not.toMatch(LONE_SURROGATE);
    expect(String(call!.args.text)).not.toMatch(LONE_SURROGATE);
    expect(String(call!.args.text).endsWith('…')).toBe(true); // the fallback was cut too
  });
});
