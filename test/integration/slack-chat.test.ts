import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/adapters/slack/chat.ts';
import { createSlackDirectory } from '../../src/adapters/slack/directory.ts';
import { AppError } from '../../src/errors.ts';
import { createLogger } from '../../src/log.ts';
import type { Logger } from '../../src/ports/logger.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

/** A real pino logger writing JSON lines into an array. */
function captureLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const dest = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const config = {
    logLevel: 'debug',
    slack: { botToken: 'xoxb-secret-token', signingSecret: null, appToken: null, apiUrl: '' },
    heroku: { apiKey: null, apiUrl: '', dataApiUrl: '' },
    github: { token: null, apiUrl: '' },
    database: { url: null, sqlitePath: '', ssl: 'auto' as const },
    webhooks: { sentry: [], alertmanager: [], grafanaHmac: [], grafanaToken: [], heroku: [] },
  };
  return { log: createLogger(config, dest), lines };
}

const FAST = { retries: 0, minRetryDelayMs: 0, maxRetryDelayMs: 0, postIntervalMs: 0 };

describe('Slack ChatPort', () => {
  let fake: FakeSlackApi;
  let slack: { slack: { botToken: string; signingSecret: null; appToken: null; apiUrl: string } };
  beforeEach(async () => {
    fake = await FakeSlackApi.start({
      token: 'xoxb-secret-token',
      usergroups: [{ id: 'S_OPS', handle: 'ops', name: 'Ops', users: ['U1', 'U2'] }],
    });
    slack = { slack: { botToken: 'xoxb-secret-token', signingSecret: null, appToken: null, apiUrl: fake.apiUrl } };
  });
  afterEach(() => fake.close());

  it('posts rendered blocks with fallback text, threads, updates and ephemerals', async () => {
    const chat = createSlackChat(slack, captureLogger().log, FAST);
    const ref = await chat.post('C1', {
      text: 'Deploy started',
      blocks: [{ type: 'header', text: 'Deploy' }],
      buttons: [{ actionId: 'autorisen:run', label: 'Roll back', value: 'rollback production', style: 'danger' }],
    });
    expect(ref.channel).toBe('C1');
    const [call] = fake.callsTo('chat.postMessage');
    expect(call!.args.text).toBe('Deploy started');
    expect((call!.args.blocks as { type: string }[]).map((b) => b.type)).toEqual(['header', 'actions']);

    await chat.post('C1', { text: 'step 1 done' }, { threadTs: ref.ts });
    expect(fake.callsTo('chat.postMessage')[1]!.args.thread_ts).toBe(ref.ts);

    await chat.update(ref, { text: 'Deploy finished' });
    expect(fake.messages.get(`C1/${ref.ts}`)).toMatchObject({ text: 'Deploy finished', updates: 1 });

    await chat.ephemeral('C1', 'U1', { text: 'only you' });
    expect(fake.callsTo('chat.postEphemeral')[0]!.args).toMatchObject({ channel: 'C1', user: 'U1', text: 'only you' });
  });

  it('turns Slack errors into slack_failed with the Slack error string and no token', async () => {
    const chat = createSlackChat(slack, captureLogger().log, FAST);
    fake.failNext('chat.postMessage', 'not_in_channel');
    const err = await chat.post('C1', { text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('slack_failed');
    expect((err as AppError).userMessage).toContain('not_in_channel');
    expect((err as AppError).userMessage).not.toContain('xoxb-secret-token');

    await fake.down('503');
    const down = (await chat.update({ channel: 'C1', ts: '1.1' }, { text: 'x' }).catch((e: unknown) => e)) as AppError;
    expect(down.userMessage).toContain('HTTP 503');
  });

  it('waits out a short Retry-After and then succeeds', async () => {
    const chat = createSlackChat(slack, captureLogger().log, FAST);
    fake.rateLimitNext('chat.postMessage', 0);
    const ref = await chat.post('C1', { text: 'after the 429' });
    expect(ref.ts).toBeTruthy();
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
  });

  it('fails fast with retryAfterSec when Retry-After is longer than the bound', async () => {
    const chat = createSlackChat(slack, captureLogger().log, { ...FAST, maxRetryAfterSec: 5 });
    fake.rateLimitNext('chat.postMessage', 120);
    const err = (await chat.post('C1', { text: 'x' }).catch((e: unknown) => e)) as AppError;
    expect(err.code).toBe('slack_failed');
    expect(err.retryAfterSec).toBe(120);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('keeps posts to one channel at most one per second by default', async () => {
    const chat = createSlackChat(slack, captureLogger().log, { retries: 0 });
    await Promise.all([
      chat.post('CSTORM', { text: '1' }),
      chat.post('CSTORM', { text: '2' }),
      chat.post('COTHER', { text: 'a' }),
    ]);
    const rates = Object.fromEntries(fake.postRates().map((r) => [r.channel, r]));
    expect(rates.CSTORM).toMatchObject({ posts: 2, exceeded: false });
    expect(
      fake
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === 'CSTORM')
        .map((c) => c.args.text),
    ).toEqual(['1', '2']);
  });
});

describe('Slack DirectoryPort', () => {
  let fake: FakeSlackApi;
  beforeEach(async () => {
    fake = await FakeSlackApi.start({
      usergroups: [
        { id: 'S_OPS', handle: 'ops', name: 'Ops', users: ['U1', 'U2'] },
        { id: 'S_ADM', handle: 'admins', name: 'Admins', users: ['U1'] },
      ],
    });
  });
  afterEach(() => fake.close());

  it("returns a user's groups and caches the list for the TTL", async () => {
    let now = 1_000_000;
    const dir = createSlackDirectory(
      { slack: { botToken: 'xoxb-t', signingSecret: null, appToken: null, apiUrl: fake.apiUrl } },
      captureLogger().log,
      { ...FAST, now: () => now },
    );
    expect(await dir.groupsOf('U1')).toEqual(['S_OPS', 'S_ADM']);
    expect(await dir.groupsOf('U2')).toEqual(['S_OPS']);
    expect(await dir.groupsOf('U9')).toEqual([]);
    expect(fake.callsTo('usergroups.list')).toHaveLength(1);
    expect(fake.callsTo('usergroups.list')[0]!.args.include_users).toBe('true');
    fake.usergroups = [];
    now += 5 * 60_000 + 1;
    expect(await dir.groupsOf('U1')).toEqual([]);
    expect(fake.callsTo('usergroups.list')).toHaveLength(2);
  });

  it('falls back to no groups and logs a warning when Slack fails', async () => {
    let now = 1_000_000;
    const { log, lines } = captureLogger();
    const dir = createSlackDirectory(
      { slack: { botToken: 'xoxb-t', signingSecret: null, appToken: null, apiUrl: fake.apiUrl } },
      log,
      { ...FAST, now: () => now, failureTtlMs: 1000 },
    );
    fake.failNext('usergroups.list', 'missing_scope');
    expect(await dir.groupsOf('U1')).toEqual([]);
    const warn = lines.find((l) => l.level === 40 && String(l.msg).includes('usergroups.list'));
    expect(warn).toBeDefined();
    now += 1001;
    expect(await dir.groupsOf('U1')).toEqual(['S_OPS', 'S_ADM']);
  });
});
