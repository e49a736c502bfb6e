import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/adapters/slack/chat.ts';
import type { Config } from '../../src/config.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { startAlertDelivery, type AlertDelivery } from '../../src/services/alerts/delivery.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import {
  headersFor,
  realClock,
  send,
  SECRETS,
  silentLog,
  startIngress,
  testConfig,
  testIds,
  sentryEvent as sentryEventOf,
} from './alert-harness.ts';

/**
 * Slack answers that retrying cannot fix: a deleted or frozen alert message gets a fresh one; a
 * channel that is gone (or closed to the bot) is given up on with one logged error, not retried forever.
 */
let fake: FakeSlackApi;
let db: OpenedStore;
let config: Config;
let worker: AlertDelivery;
let ingress: { url: string; close(): Promise<void> };
let errors: { obj: unknown; msg: string }[];

const CHANNEL = 'C0ALERTSPR';
const FP = 'sentry:issue:1117540176';

/** Records error lines; everything else is dropped. */
function recordingLog(): Logger {
  const log: Logger = {
    debug() {},
    info() {},
    warn() {},
    error: (obj: unknown, msg?: string) => void errors.push({ obj, msg: msg ?? '' }),
    child: () => log,
  } as Logger;
  return log;
}

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
  errors = [];
  db = await testDatabase('sqlite').open();
  worker = startAlertDelivery({
    store: db.store,
    chat: createSlackChat(config, silentLog, { rateLimitRetries: 0, retries: 0, postIntervalMs: 0 }),
    clock: realClock,
    ids: testIds,
    log: recordingLog(),
    config,
    options: { updateIntervalMs: 50, postIntervalMs: 50, idlePollMs: 50, maxBackoffMs: 300 },
  });
  ingress = await startIngress({ store: db.store, config, clock: realClock, onAccepted: () => worker.poke() });
});
afterEach(async () => {
  await ingress.close();
  await worker.stop();
  await db.cleanup();
});

const sentryEvent = (n: number, issueId?: string) => sentryEventOf(n, issueId, 'a');
async function postSentry(b: Buffer): Promise<void> {
  expect((await send(ingress.url, '/hooks/sentry', b, headersFor.sentry(b, 'event_alert'))).status).toBe(202);
}
const topLevel = () => [...fake.messages.values()].filter((m) => m.channel === CHANNEL && !m.threadTs);

describe('Slack says the alert message is gone', () => {
  it.each(['message_not_found', 'cant_update_message'])(
    'on %s, posts a fresh message with the full count instead of retrying the update',
    async (slackError) => {
      await postSentry(sentryEvent(1));
      await worker.drain();
      const [first] = topLevel();
      expect(first!.text).toContain('×1');

      fake.failNext('chat.update', slackError);
      await postSentry(sentryEvent(2));
      await worker.drain(10_000);
      const posts = topLevel();
      expect(posts).toHaveLength(2);
      expect(posts[1]!.text).toContain('×2');
      expect((await db.store.alerts.getGroup(FP))!.messageTs).toBe(posts[1]!.ts);
      // The old message was not edited again after Slack refused it.
      expect(fake.callsTo('chat.update').filter((c) => c.args.ts === first!.ts)).toHaveLength(1);

      // Later repeats go to the fresh message.
      await postSentry(sentryEvent(3));
      await fake.waitForCalls((c) => c.method === 'chat.update' && c.args.ts === posts[1]!.ts && c.status === 200);
      await worker.drain();
      expect(fake.messages.get(`${CHANNEL}/${posts[1]!.ts}`)!.text).toContain('×3');
    },
  );
});

describe('Slack says the channel is gone', () => {
  it('gives up on a post after one attempt with a logged error, and tries the channel again for a later alert', async () => {
    fake.failNext('chat.postMessage', 'channel_not_found');
    await postSentry(sentryEvent(1));
    await worker.drain(10_000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1); // not retried
    expect(topLevel()).toHaveLength(0);
    expect(errors).toEqual([
      expect.objectContaining({
        msg: expect.stringContaining('does not exist or the bot is not in it'),
        obj: expect.objectContaining({ channel: CHANNEL, slackError: 'channel_not_found' }),
      }),
    ]);
    // The alert is still known and listed.
    expect((await db.store.alerts.listOpen(null, 10)).map((g) => g.fingerprint)).toEqual([FP]);

    // A new alert for the channel (invited since) is posted once the pause is over.
    await postSentry(sentryEvent(2, '2000'));
    await fake.waitForCalls((c) => c.method === 'chat.postMessage' && c.status === 200 && c.args.channel === CHANNEL);
    await worker.drain();
    expect(topLevel().map((m) => m.text)).toEqual([expect.stringContaining('×1')]);
  });

  it('gives up on an update to a channel the bot was removed from', async () => {
    await postSentry(sentryEvent(1));
    await worker.drain();
    fake.failNext('chat.update', 'not_in_channel');
    await postSentry(sentryEvent(2));
    await worker.drain(10_000);
    expect(fake.callsTo('chat.update')).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect((await db.store.alerts.getGroup(FP))!.count).toBe(2);
  });
});
