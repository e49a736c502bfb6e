import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackTransport, type SlackTransport } from '../../src/adapters/slack/transport.ts';
import { loadConfig } from '../../src/config.ts';
import { textMessage } from '../../src/core/message.ts';
import type { ActionRequest, CommandRequest, Dispatch, Dispatcher } from '../../src/core/transport.ts';
import { AppError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { SlackDriver } from '../drivers/slack-driver.ts';

const SECRET = 'test-signing-secret-0123456789';

/** A small real dispatcher: "help" acks a usage text, "slow" replies later, clicks rewrite the original. */
class ScriptedDispatcher implements Dispatcher {
  readonly commands: CommandRequest[] = [];
  readonly actions: ActionRequest[] = [];
  release: () => void = () => undefined;

  async command(req: CommandRequest): Promise<Dispatch> {
    this.commands.push(req);
    const [word] = req.text.trim().split(/\s+/);
    if (word === 'flagg')
      return {
        ack: textMessage('Unknown sub-command "flagg". Did you mean `flag`? Try `/autorisen help`.'),
        done: Promise.resolve(),
      };
    if (word === 'boom') throw new AppError('store_failed', 'The database is unreachable; check DATABASE_URL.');
    if (word === 'hold') {
      const done = new Promise<void>((resolve) => (this.release = resolve)).then(() =>
        req.responder.reply(textMessage('held work finished')),
      );
      return { ack: null, done };
    }
    const done = req.responder.reply({ text: `ran: ${req.text}`, visibility: 'in_channel' });
    return { ack: null, done };
  }

  async action(req: ActionRequest): Promise<Dispatch> {
    this.actions.push(req);
    const done = req.responder.replaceOriginal!({
      text: `Approved by <@${req.userId}>`,
      blocks: [{ type: 'section', text: 'Approved' }],
    });
    return { ack: null, done };
  }
}

function quietLogger() {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  return createLogger(
    {
      logLevel: 'silent',
      slack: { botToken: null, signingSecret: null, appToken: null, apiUrl: '' },
      heroku: { apiKey: null, apiUrl: '', dataApiUrl: '' },
      github: { token: null, apiUrl: '' },
      database: { url: null, sqlitePath: '', ssl: 'auto' },
      webhooks: { sentry: [], alertmanager: [], grafanaHmac: [], grafanaToken: [], heroku: [] },
    },
    sink,
  );
}

describe('Slack HTTP transport', () => {
  let fake: FakeSlackApi;
  let transport: SlackTransport;
  let dispatcher: ScriptedDispatcher;
  let driver: SlackDriver;
  let baseUrl: string;
  let healthy: boolean;

  beforeEach(async () => {
    fake = await FakeSlackApi.start();
    dispatcher = new ScriptedDispatcher();
    healthy = true;
    const config = loadConfig(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0' },
      () => null,
    );
    transport = createSlackTransport({
      config,
      dispatcher,
      logger: quietLogger(),
      isHealthy: async () => healthy,
      routes: [{ path: '/hooks/echo', method: 'POST', handler: (_req, res) => void res.writeHead(202).end() }],
      shutdownGraceMs: 2000,
    });
    baseUrl = (await transport.start()).url;
    driver = new SlackDriver({ baseUrl, signingSecret: SECRET, responseBase: fake.url });
  });
  afterEach(async () => {
    dispatcher.release();
    await transport.stop();
    await fake.close();
  });

  it('acks a signed slash command and hands user, channel and text to the dispatcher', async () => {
    const res = await driver.command('flag status production', { userId: 'U1', channelId: 'C1' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(dispatcher.commands).toHaveLength(1);
    expect(dispatcher.commands[0]).toMatchObject({ userId: 'U1', channelId: 'C1', text: 'flag status production' });
    expect(dispatcher.commands[0]!.correlationId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("renders the dispatcher's usage error as the ack body", async () => {
    const res = await driver.command('flagg on');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringContaining('Did you mean `flag`?'),
    });
    expect((res.json as { blocks: unknown[] }).blocks.length).toBeGreaterThan(0);
  });

  it('acks with the error message when the dispatcher throws', async () => {
    const res = await driver.command('boom');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ text: 'The database is unreachable; check DATABASE_URL.' });
  });

  it('delivers follow-up replies to the response_url', async () => {
    const res = await driver.command('releases staging');
    const [post] = await fake.waitForResponses(1, res.responseId);
    expect(post!.body).toMatchObject({ text: 'ran: releases staging', response_type: 'in_channel' });
    expect(post!.contentType).toContain('application/json');
  });

  it('logs, not crashes, when the response_url has expired', async () => {
    fake.failResponses(404);
    const res = await driver.command('releases staging');
    await fake.waitForResponses(1, res.responseId);
    const next = await driver.command('releases production');
    expect(next.status).toBe(200);
    await fake.waitForResponses(1, next.responseId);
  });

  it('rejects a wrong signature with 401 and never calls the dispatcher', async () => {
    const res = await driver.command('flag on production', { signature: 'wrong' });
    expect(res.status).toBe(401);
    const missing = await driver.command('flag on production', { signature: 'missing' });
    expect(missing.status).toBe(401);
    expect(dispatcher.commands).toHaveLength(0);
  });

  it('rejects a timestamp older than 5 minutes with 401', async () => {
    const res = await driver.command('flag on production', { timestampOffsetSec: -(5 * 60 + 10) });
    expect(res.status).toBe(401);
    expect(dispatcher.commands).toHaveLength(0);
  });

  it('routes a button click to dispatcher.action and replaces the original via response_url', async () => {
    const res = await driver.click({
      actionId: 'autorisen:approve',
      value: 'appr-42',
      userId: 'U2',
      channelId: 'C9',
      messageTs: '1700000000.000100',
    });
    expect(res.status).toBe(200);
    const [post] = await fake.waitForResponses(1, res.responseId);
    expect(dispatcher.actions[0]).toMatchObject({
      actionId: 'autorisen:approve',
      value: 'appr-42',
      userId: 'U2',
      channelId: 'C9',
      messageTs: '1700000000.000100',
    });
    expect(post!.body).toMatchObject({ replace_original: true, text: 'Approved by <@U2>' });
  });

  it('ignores clicks on buttons outside the autorisen: family', async () => {
    const res = await driver.click({ actionId: 'other:thing', value: 'x' });
    expect(dispatcher.actions).toHaveLength(0);
    expect(res.status).not.toBe(200);
  });

  it('serves /healthz as 200 when healthy and 503 when not', async () => {
    const ok = await fetch(`${baseUrl}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    healthy = false;
    const bad = await fetch(`${baseUrl}/healthz`);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toEqual({ ok: false });
  });

  it('serves the extra routes it was given', async () => {
    const res = await fetch(`${baseUrl}/hooks/echo`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(202);
  });

  it('waits for in-flight work before stopping', async () => {
    const res = await driver.command('hold');
    expect(res.status).toBe(200);
    let stopped = false;
    const stopping = transport.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    dispatcher.release();
    await stopping;
    expect(fake.responses.filter((r) => r.id === res.responseId).map((r) => r.body.text)).toEqual([
      'held work finished',
    ]);
  });

  it('never calls auth.test', async () => {
    await driver.command('releases staging');
    await fake.waitForResponses(1);
    expect(fake.callsTo('auth.test')).toHaveLength(0);
  });
});

describe('Slack transport construction', () => {
  const logger = quietLogger();
  const dispatcher = new ScriptedDispatcher();

  it('builds a Socket Mode transport from an app-level token without connecting', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-1-test', PORT: '0' }, () => null);
    expect(config.mode).toBe('socket');
    const t = createSlackTransport({ config, dispatcher, logger, isHealthy: async () => true });
    expect(typeof t.start).toBe('function');
  });

  it('refuses HTTP mode without a signing secret, naming the variable', () => {
    const config = {
      ...loadConfig({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, PORT: '0' }, () => null),
    };
    const broken = { ...config, slack: { ...config.slack, signingSecret: null } };
    expect(() => createSlackTransport({ config: broken, dispatcher, logger, isHealthy: async () => true })).toThrow(
      /SLACK_SIGNING_SECRET/,
    );
  });
});
