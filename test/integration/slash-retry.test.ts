import { afterEach, describe, expect, it, vi } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { bootApp, USERS, type BootedApp, type BootOptions } from '../drivers/boot-app.ts';
import { freshAppSchema } from '../support/test-databases.ts';

/**
 * Issue 9 §7: Slack resends a slash command with X-Slack-Retry-Num when it thinks the first went
 * unanswered, and the resend may reach another instance. A change must neither post a second approval
 * request nor run twice; a query answers again. Two apps on one database model the two instances.
 */

const ENGINES = [
  { name: 'sqlite', setup: async () => ({ opts: {} as BootOptions, cleanup: async () => undefined }) },
  {
    name: 'postgres',
    async setup() {
      const db = await freshAppSchema('slash_retry');
      return { opts: { databaseUrl: db.url } as BootOptions, cleanup: db.drop };
    },
  },
];

const RETRY = { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' };

describe.each(ENGINES)('a slash command redelivered by Slack, on $name', (engine) => {
  let a: BootedApp;
  let b: BootedApp;
  let cleanup: () => Promise<void>;
  afterEach(async () => {
    await b?.stop();
    await a?.stop();
    await cleanup?.();
  });

  async function twoInstances(): Promise<void> {
    const db = await engine.setup();
    cleanup = db.cleanup;
    a = await bootApp(db.opts);
    b = await bootApp({ ...db.opts, slack: a.slack, heroku: a.heroku, github: a.github, sqlitePath: a.sqlitePath });
  }

  it('posts one approval request when the retry reaches the other instance', async () => {
    await twoInstances();
    const triggerId = a.driver.triggerId();
    const o = { userId: USERS.ana, channelId: 'CROLLOUT', triggerId, responseId: 'retried-1' };
    const isApproval = (c: { method: string; args: Record<string, unknown> }) =>
      c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION);
    expect((await a.driver.command('flag on production --reason "launch"', o)).status).toBe(200);
    // Slack retries only after 3 s without an answer, so the first delivery's work has begun by then;
    // sending the retry before it had would let the retry win the claim and the original be the duplicate.
    await a.slack.waitForCalls(isApproval);
    const retry = await b.driver.command('flag on production --reason "launch"', { ...o, headers: RETRY });
    expect(retry.status).toBe(200);
    expect(retry.body).toBe('');
    const [reply] = await a.slack.waitForResponses(1, 'retried-1');
    expect(String(reply!.body.text)).toMatch(/Asked the channel for approval/);
    expect(a.slack.calls.filter(isApproval)).toHaveLength(1);
    // The retry's duplicate row is written after its (empty) ack.
    await vi.waitFor(async () => {
      const rows = await b.app.store.audit.latest({ limit: 20 });
      expect(rows.find((r) => r.result === 'duplicate')?.detail).toMatch(/redelivery #1 \(http_timeout\)/);
    });
    const rows = await b.app.store.audit.latest({ limit: 20 });
    expect(rows.filter((r) => r.action === 'approval_requested')).toHaveLength(1);
    expect(rows.filter((r) => r.result === 'duplicate')).toHaveLength(1);
    expect(a.slack.calls.filter(isApproval)).toHaveLength(1);
  });

  it('runs a direct change once when the retry reaches the same instance', async () => {
    await twoInstances();
    const o = { userId: USERS.ana, channelId: 'CROLLOUT', triggerId: a.driver.triggerId(), responseId: 'retried-2' };
    await a.driver.command('flag on staging', o);
    await a.driver.command('flag on staging', { ...o, headers: RETRY });
    const [reply] = await a.slack.waitForResponses(1, 'retried-2');
    expect(String(reply!.body.text)).toMatch(/turned the rollout flag \*on\* in staging/);
    expect(a.heroku.requestsTo('PATCH', '/apps/autorisen/config-vars')).toHaveLength(1);
    // A new invocation (a new trigger_id) with the same text is not a retry: it runs.
    await a.driver.command('flag on staging', { userId: USERS.ana, channelId: 'CROLLOUT', responseId: 'fresh' });
    const [fresh] = await a.slack.waitForResponses(1, 'fresh');
    expect(String(fresh!.body.text)).toMatch(/FEATURE_AUTORISEN is already "true" in staging/);
  });

  it('answers a redelivered query again: its first answer rode in the ack Slack gave up on', async () => {
    await twoInstances();
    const o = { userId: USERS.ana, channelId: 'CROLLOUT', triggerId: a.driver.triggerId(), responseId: 'status-1' };
    const first = await a.driver.command('flag status staging', o);
    const retry = await b.driver.command('flag status staging', { ...o, headers: RETRY });
    for (const res of [first, retry])
      expect(String((await a.slack.answerTo(res)).text)).toMatch(/\*staging\* \(autorisen\): FEATURE_AUTORISEN/);
    // Nothing was changed, so nothing was claimed: no "duplicate" row, two answered invocations (a
    // query's row is written just after its answer).
    await vi.waitFor(async () => {
      const rows = await a.app.store.audit.latest({ limit: 20 });
      expect(rows.filter((r) => r.result === 'duplicate')).toHaveLength(0);
      expect(rows.filter((r) => r.command === 'flag status' && r.result === 'ok')).toHaveLength(2);
    });
  });
});
