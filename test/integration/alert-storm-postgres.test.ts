import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/adapters/slack/chat.ts';
import type { Config } from '../../src/config.ts';
import { startAlertDelivery, type AlertDelivery } from '../../src/services/alerts/delivery.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import {
  headersFor,
  realClock,
  SECRETS,
  send,
  sentryEvent,
  silentLog,
  startIngress,
  testConfig,
  testIds,
} from './alert-harness.ts';

/**
 * Issue 9 item 5: during a storm on PostgreSQL, valid signed Sentry deliveries got 503 "deadlock
 * detected". Two instances (as two web dynos) share one database; each groups the requests that
 * arrive together into one transaction, so two transactions upsert the same issues in different
 * orders while the delivery worker folds groups into a digest. Every valid delivery must get its
 * 202, and every occurrence must be counted.
 */
const ISSUES = 12;
const PER_INSTANCE = 180;

let fake: FakeSlackApi;
let db: OpenedStore;
let config: Config;
let worker: AlertDelivery;
const instances: { url: string; close(): Promise<void> }[] = [];

beforeAll(async () => {
  fake = await FakeSlackApi.start();
  config = testConfig({
    ...SECRETS,
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 's',
    SLACK_API_URL: fake.apiUrl,
  });
  db = await testDatabase('postgres').open();
  const second = await db.reopen();
  worker = startAlertDelivery({
    store: db.store,
    chat: createSlackChat(config, silentLog, { rateLimitRetries: 0, retries: 0, postIntervalMs: 0 }),
    clock: realClock,
    ids: testIds,
    log: silentLog,
    config,
    options: { updateIntervalMs: 0, postIntervalMs: 0, idlePollMs: 5 },
  });
  for (const store of [db.store, second.store])
    instances.push(await startIngress({ store, config, clock: realClock, onAccepted: () => worker.poke() }));
});
afterAll(async () => {
  for (const i of instances) await i.close();
  await worker?.stop();
  await db?.cleanup();
  await fake?.close();
});

/** Issue ids in an order that differs per instance and per round, so transactions cross. */
function issueOrder(instance: number, n: number): string {
  const k = instance === 0 ? n : n * 7 + 3;
  return String(9000 + ((instance === 0 ? k : ISSUES * 1000 - k) % ISSUES));
}

describe('an alert storm on PostgreSQL with concurrent repeats of the same issues', () => {
  it('answers every valid delivery 202 and counts every occurrence', async () => {
    const sends = instances.flatMap((ingress, i) =>
      Array.from({ length: PER_INSTANCE }, (_, n) => {
        const body = sentryEvent(n, issueOrder(i, n), `i${i}`);
        return send(ingress.url, '/hooks/sentry', body, headersFor.sentry(body, 'event_alert'));
      }),
    );
    const replies = await Promise.all(sends);
    const refused = replies.filter((r) => r.status !== 202).map((r) => `${r.status} ${String(r.body.error)}`);
    expect(refused).toEqual([]);
    let events = 0;
    for (let k = 0; k < ISSUES; k++) events += (await db.store.alerts.getGroup(`sentry:issue:${9000 + k}`))?.count ?? 0;
    expect(events).toBe(2 * PER_INSTANCE);
  });
});
