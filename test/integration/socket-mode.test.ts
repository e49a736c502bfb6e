import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { APP_TOKEN, bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import type { FakeSlackSocket } from '../fakes/fake-slack-socket.ts';

/**
 * The real app in Socket Mode (SLACK_APP_TOKEN, no signing secret) against a fake Socket Mode server
 * and the fake Web API: the connection is opened through SLACK_API_URL, every envelope is acked, and
 * the main flows run exactly as over HTTP.
 */
let b: BootedApp;
let socket: FakeSlackSocket;
beforeEach(async () => {
  b = await bootApp({ socketMode: true });
  socket = b.socket!;
});
afterEach(async () => b?.stop());

const CHANNEL = 'CROLLOUT';
const flagOf = (app: string) => b.heroku.app(app).configVars.FEATURE_AUTORISEN;
let seq = 0;

/** `/autorisen <text>` over the socket; resolves with the ack and the response_url sink id. */
async function command(userId: string, text: string, o: { loseAck?: boolean } = {}) {
  const id = `sock-${++seq}`;
  const ack = await Promise.race([
    socket.slashCommand(text, { userId, channelId: CHANNEL, responseUrl: b.slack.responseUrl(id), ...o }),
    // A lost ack never resolves: the caller waits for the reply instead.
    ...(o.loseAck ? [Promise.resolve(null)] : []),
  ]);
  return { ack, id };
}

function approveValue(call: SlackCall): string {
  const blocks = (call.args.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  const button = blocks.flatMap((x) => x.elements ?? []).find((e) => e.action_id === APPROVE_ACTION);
  if (!button?.value) throw new Error('no Approve button in the posted message');
  return button.value;
}

describe('Socket Mode', () => {
  it('opens the WebSocket through SLACK_API_URL with the app-level token, and serves /healthz', async () => {
    const [open] = b.slack.callsTo('apps.connections.open');
    expect(open!.token).toBe(APP_TOKEN);
    expect(socket.opens).toBe(1);
    const health = await fetch(`${b.url}/healthz`);
    expect(health.status).toBe(200);
  });

  it('runs a slash command: a quick query is answered in the envelope ack itself', async () => {
    const { ack, id } = await command(USERS.vic, 'flag status production');
    expect(String((ack!.payload as { text?: unknown }).text)).toMatch(
      /production\* \(capecraft\): FEATURE_AUTORISEN "false" \(off\)/,
    );
    expect(b.slack.responses.filter((r) => r.id === id)).toEqual([]);
  });

  it('answers a usage error in the ack payload itself', async () => {
    const { ack } = await command(USERS.vic, 'flagg on');
    expect(JSON.stringify(ack!.payload)).toContain("I don't know");
  });

  it('approves over an interactive envelope through the same compare-and-set, once', async () => {
    await command(USERS.ana, 'flag on production --reason "launch"');
    const [post] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION),
    );
    const click = (userId: string, n: number) =>
      socket.click({
        actionId: APPROVE_ACTION,
        value: approveValue(post!),
        userId,
        channelId: CHANNEL,
        messageTs: String(post!.args.ts ?? '1.0'),
        responseUrl: b.slack.responseUrl(`click-${n}`),
      });
    await click(USERS.ben, 1);
    await b.slack.waitForCalls((c) => c.method === 'chat.update' && /done/.test(String(c.args.text)));
    expect(flagOf('capecraft')).toBe('true');
    await click(USERS.cy, 2);
    const [late] = await b.slack.waitForResponses(1, 'click-2');
    expect(String(late!.body.text)).toMatch(/already (succeeded|approved|executing)/);
    const executed = (await b.app.store.audit.latest({ limit: 50 })).filter(
      (r) => r.command === 'flag on' && r.action === 'execute' && r.result === 'ok',
    );
    expect(executed).toHaveLength(1);
  });

  it('runs the kill switch at once', async () => {
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    const { id } = await command(USERS.cy, 'flag off production --reason "errors"');
    const [reply] = await b.slack.waitForResponses(1, id);
    expect(String(reply!.body.text)).toMatch(/turned the rollout flag \*off\* in production/);
    expect(flagOf('capecraft')).toBe('false');
  });

  it('publishes the Home tab when a user opens it (events_api app_home_opened → views.publish)', async () => {
    await socket.homeOpened(USERS.vic);
    const [publish] = await b.slack.waitForCalls('views.publish');
    expect(publish!.args.user_id).toBe(USERS.vic);
    const text = JSON.stringify(b.slack.homeViews.get(USERS.vic)!.view);
    expect(text).toContain('production');
    expect(text).toContain('FEATURE_AUTORISEN');
  });
});

describe('Socket Mode reconnect', () => {
  const patches = () => b.heroku.requestsTo('PATCH', '/apps/autorisen/config-vars').length;
  const textOf = (ack: { payload?: unknown } | null | undefined) =>
    String((ack?.payload as { text?: unknown } | undefined)?.text ?? '');

  it('reconnects on refresh_requested through apps.connections.open and loses no command', async () => {
    // Before the refresh: a change, answered by response_url.
    const first = await command(USERS.ana, 'flag on staging');
    await b.slack.waitForResponses(1, first.id);
    // A change and a query whose acks are lost as the connection is refreshed: Slack delivers both again.
    const lostChange = await command(USERS.ana, 'flag off staging --reason "refresh"', { loseAck: true });
    await b.slack.waitForResponses(1, lostChange.id);
    await command(USERS.ana, 'releases production 1', { loseAck: true });
    const [, lostAnswer] = await socket.waitForLostAcks(2);
    expect(textOf(lostAnswer)).toMatch(/production/); // the answer Slack never saw
    expect(socket.unackedIds).toHaveLength(2);
    socket.disconnect('refresh_requested');
    // Sent while the app is reconnecting: Slack holds it for the next connection.
    const during = command(USERS.ana, 'releases staging 2');
    await socket.waitForConnections(2);
    expect(textOf((await during).ack)).toMatch(/staging/);
    const after = await command(USERS.ana, 'flag on staging');

    expect(socket.opens).toBe(2);
    expect(b.slack.callsTo('apps.connections.open')).toHaveLength(2);
    // Both lost envelopes were redelivered on the new connection and acked there.
    const redelivered = socket.deliveries.filter((d) => d.envelope.retry_attempt === 1);
    expect(redelivered.map((d) => d.connection)).toEqual([2, 2]);
    const acks = await Promise.all(redelivered.map((d) => socket.waitForAck(d.envelope.envelope_id)));
    expect(socket.unackedIds).toEqual([]);
    await b.slack.waitForResponses(1, after.id);

    // Redelivered in the order sent. The change ran once: its redelivery found it claimed and was
    // acked empty. Three changes, three PATCHes.
    const [changeAck, queryAck] = acks;
    expect(textOf(changeAck)).toBe('');
    expect(patches()).toBe(3);
    expect(b.slack.responses.filter((r) => r.id === lostChange.id)).toHaveLength(1);
    // The query's answer was in the lost ack, so its redelivery answers again, in the new ack.
    expect(textOf(queryAck)).toMatch(/production/);
    expect(b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
  });
});
