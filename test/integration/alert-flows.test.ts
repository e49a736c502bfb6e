import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/adapters/slack/chat.ts';
import type { Config } from '../../src/config.ts';
import { startAlertDelivery, type AlertDelivery } from '../../src/services/alerts/delivery.ts';
import { alertActionHandlers } from '../../src/services/alerts/actions.ts';
import { FakeSlackApi, type StoredMessage } from '../fakes/fake-slack-api.ts';
import { recordingResponder } from '../support/recording-chat.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import {
  compact,
  fixture,
  headersFor,
  realClock,
  send,
  SECRETS,
  silentLog,
  startIngress,
  testConfig,
  testIds,
  sentryEvent,
} from './alert-harness.ts';

/**
 * End to end: signed real payloads → ingress → store → delivery worker → real Slack adapter →
 * fake Slack API (with 429s and an outage). Buttons are driven through the action handlers the
 * dispatcher calls. Nothing here sleeps a fixed time: it waits for what a user would see.
 */
let fake: FakeSlackApi;
let db: OpenedStore;
let config: Config;
let worker: AlertDelivery;
let ingress: { url: string; close(): Promise<void> };

const startWorker = () =>
  startAlertDelivery({
    store: db.store,
    chat: createSlackChat(config, silentLog, { rateLimitRetries: 0, retries: 0, postIntervalMs: 0 }),
    clock: realClock,
    ids: testIds,
    log: silentLog,
    config,
    options: { updateIntervalMs: 100, idlePollMs: 50 },
  });

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  config = testConfig({
    ...SECRETS,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'sign',
    SLACK_API_URL: fake.apiUrl,
  });
});
afterAll(async () => fake?.close());
beforeEach(async () => {
  fake.reset();
  db = await testDatabase('sqlite').open();
  worker = startWorker();
  ingress = await startIngress({ store: db.store, config, clock: realClock, onAccepted: () => worker.poke() });
});
afterEach(async () => {
  await ingress.close();
  await worker.stop();
  await db.cleanup();
});

const postSentry = (b: Buffer) => send(ingress.url, '/hooks/sentry', b, headersFor.sentry(b, 'event_alert'));
const topLevelPosts = (channel: string) =>
  fake.callsTo('chat.postMessage').filter((c) => c.status === 200 && c.args.channel === channel && !c.args.thread_ts);
const messageIn = (channel: string): StoredMessage =>
  [...fake.messages.values()].find((m) => m.channel === channel && !m.threadTs)!;
const buttonsOf = (m: StoredMessage) =>
  (m.blocks as { type: string; elements?: { action_id: string; value: string; text: { text: string } }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements ?? []);

describe('alert flows against the fake Slack API', () => {
  it('posts one message with buttons, counts a repeat into it with a thread reply, and rewrites it on resolution', async () => {
    await postSentry(sentryEvent(1));
    await fake.waitForCalls((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ALERTSPR');
    const m = messageIn('C0ALERTSPR');
    expect(m.text).toContain('[production] ReferenceError: heck is not defined');
    expect(m.text).toContain('×1');
    const buttons = buttonsOf(m);
    expect(buttons.map((b) => b.text.text)).toEqual([
      'Acknowledge',
      'Silence 1 h',
      'Silence 4 h',
      'Silence 24 h',
      'Turn FEATURE_AUTORISEN off',
      'Roll back',
    ]);
    expect(buttons.find((b) => b.text.text === 'Roll back')!.value).toBe('rollback production');
    expect(buttons.find((b) => b.text.text === 'Turn FEATURE_AUTORISEN off')!.value).toBe(
      'flag off production --reason "alert: ReferenceError: heck is not defined"',
    );

    await postSentry(sentryEvent(2));
    await fake.waitForCalls((c) => c.method === 'chat.postMessage' && c.args.thread_ts === m.ts);
    await worker.drain();
    expect(fake.messages.get(`C0ALERTSPR/${m.ts}`)!.text).toContain('×2');
    expect(topLevelPosts('C0ALERTSPR')).toHaveLength(1);

    // Alertmanager: the real firing then resolved bodies of one alert group.
    const firing = fixture('alertmanager/webhook_v4_firing_am0.27.0.faultline.wire.json');
    await send(ingress.url, '/hooks/alertmanager', firing, headersFor.alertmanager());
    await fake.waitForCalls((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ONCALL01');
    const am = messageIn('C0ONCALL01');
    const resolved = fixture('alertmanager/webhook_v4_resolved_am0.27.0.faultline.wire.json');
    await send(ingress.url, '/hooks/alertmanager', resolved, headersFor.alertmanager());
    await fake.waitForCalls((c) => c.method === 'chat.update' && c.args.ts === am.ts);
    await worker.drain();
    const after = fake.messages.get(`C0ONCALL01/${am.ts}`)!;
    expect(after.text).toMatch(/^✅ .* — resolved/);
    expect(JSON.stringify(after.blocks)).toMatch(/Resolved by Alertmanager after \d+ s/);
    expect(buttonsOf(after)).toHaveLength(0);
  });

  it('Acknowledge records who and rewrites the message; Silence is persisted, says until when, and stops posts', async () => {
    await postSentry(sentryEvent(1));
    await fake.waitForCalls('chat.postMessage');
    const m = messageIn('C0ALERTSPR');
    const [ack, silence] = alertActionHandlers({
      store: db.store,
      clock: realClock,
      ids: testIds,
      poke: () => worker.poke(),
    });
    const click = (value: string, actionId: string) => ({
      actionId,
      value,
      userId: 'U0OPS0001',
      channelId: 'C0ALERTSPR',
      messageTs: m.ts,
      correlationId: 'c1',
      responder: recordingResponder(),
    });
    expect(ack!.permission).toBe('operator');
    const ackValue = buttonsOf(m).find((b) => b.text.text === 'Acknowledge')!.value;
    const reply = await ack!.handle(click(ackValue, ack!.actionId), {
      userId: 'U0OPS0001',
      role: 'operator',
      channelId: 'C0ALERTSPR',
    });
    expect(reply!.text).toContain('Acknowledged');
    await fake.waitForCalls((c) => c.method === 'chat.update' && c.args.ts === m.ts);
    await worker.drain();
    const acked = fake.messages.get(`C0ALERTSPR/${m.ts}`)!;
    expect(acked.text).toContain('acknowledged by <@U0OPS0001>');
    expect(buttonsOf(acked).map((b) => b.text.text)).not.toContain('Acknowledge');

    const silenceValue = buttonsOf(acked).find((b) => b.text.text === 'Silence 4 h')!.value;
    await silence!.handle(click(silenceValue, silence!.actionId), {
      userId: 'U0OPS0001',
      role: 'operator',
      channelId: 'C0ALERTSPR',
    });
    await worker.drain();
    const silenced = fake.messages.get(`C0ALERTSPR/${m.ts}`)!;
    expect(JSON.stringify(silenced.blocks)).toMatch(/Silenced until (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC by <@U0OPS0001>/);
    const callsBefore = fake.calls.length;
    await postSentry(sentryEvent(2));
    await postSentry(sentryEvent(3));
    await worker.drain();
    expect(fake.calls.length).toBe(callsBefore); // recorded, not posted
    expect((await db.store.alerts.getGroup('sentry:issue:1117540176'))!.count).toBe(3);
  });

  it('honours a 429 Retry-After and rides out an outage: each alert posted exactly once afterwards', async () => {
    fake.rateLimitNext('chat.postMessage', 1);
    await postSentry(sentryEvent(1));
    await fake.waitForCalls((c) => c.method === 'chat.postMessage' && c.status === 200, 1, 10_000);
    const [limited, ok] = fake.callsTo('chat.postMessage');
    expect(limited!.status).toBe(429);
    expect(ok!.at - limited!.at).toBeGreaterThanOrEqual(900); // waited as Retry-After: 1 said

    await fake.down('503');
    const crash = compact('heroku/webhook_dyno_destroy_crashed.real_redacted.json');
    expect((await send(ingress.url, '/hooks/heroku', crash, headersFor.heroku(crash))).status).toBe(202);
    await new Promise((r) => setTimeout(r, 1500)); // let the worker try (and fail) against the outage
    expect(fake.messages.size).toBe(1); // nothing got through while Slack was down
    await fake.restore();
    await worker.drain(20_000);
    expect(topLevelPosts('C0DEPLOYPRD')).toHaveLength(1);
    expect(messageIn('C0DEPLOYPRD').text).toContain('Dyno scheduler.8375 crashed on my-app (production) (exit 137)');
  });

  it('a storm becomes one digest per channel, within 1 post/s, and a restart mid-storm loses nothing', async () => {
    const accepted: number[] = [];
    const storm = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const r = await postSentry(sentryEvent(i, String(5000 + (i % 40))));
        if (r.status === 202) accepted.push(i);
      }
    };
    await storm(0, 60);
    await worker.stop(); // the "app" goes down mid-storm
    await storm(60, 120);
    worker = startWorker();
    await storm(120, 200);
    await worker.drain(30_000);
    expect(accepted).toHaveLength(200);
    const rates = fake.postRates();
    expect(rates.every((r) => !r.exceeded)).toBe(true);
    // Zero loss, read back from what Slack shows: individual messages' counts + the digest's events.
    const shown = [...fake.messages.values()].filter((m) => !m.threadTs && m.channel === 'C0ALERTSPR');
    const digest = shown.filter((m) => m.text?.startsWith('🌩️'));
    expect(digest).toHaveLength(1);
    const events = (m: StoredMessage) => Number(/\((\d+) events/.exec(m.text!)![1]);
    const counted = shown
      .filter((m) => !m.text?.startsWith('🌩️'))
      .reduce((n, m) => n + Number(/×(\d+)/.exec(m.text!)![1]), 0);
    expect(counted + events(digest[0]!)).toBe(200);
  });
});
