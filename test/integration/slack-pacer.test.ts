import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackChat } from '../../src/adapters/slack/chat.ts';
import { postKey, SlackPacer } from '../../src/core/slack-pacer.ts';
import { textMessage } from '../../src/core/message.ts';
import { createLogger } from '../../src/log.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

/** Virtual time: sleep() advances it and records how long each caller was made to wait. */
function virtualTime() {
  const t = { now: 1_000_000, slept: [] as number[] };
  return {
    t,
    now: () => t.now,
    sleep: async (ms: number) => {
      t.slept.push(ms);
      t.now += ms;
    },
  };
}

const silent = createLogger(
  {
    logLevel: 'silent',
    slack: { botToken: 'xoxb-t', signingSecret: null, appToken: null, apiUrl: '' },
    heroku: { apiKey: null, apiUrl: '', dataApiUrl: '' },
    github: { token: null, apiUrl: '' },
    database: { url: null, sqlitePath: '', ssl: 'auto' as const },
    webhooks: { sentry: [], alertmanager: [], grafanaHmac: [], grafanaToken: [], heroku: [] },
  },
  new Writable({ write: (_c, _e, cb) => cb() }),
);

describe('one Slack pacer for command replies and alert delivery', () => {
  let fake: FakeSlackApi;
  beforeEach(async () => {
    fake = await FakeSlackApi.start();
  });
  afterEach(() => fake.close());

  function chatWith(pacer: SlackPacer) {
    const config = { slack: { botToken: 'xoxb-t', signingSecret: null, appToken: null, apiUrl: fake.apiUrl } };
    return createSlackChat(config, silent, { retries: 0, postIntervalMs: 1_000, pacer });
  }

  it('spaces command posts to one channel 1 s apart, other channels not at all', async () => {
    const v = virtualTime();
    const chat = chatWith(new SlackPacer(v.now, v.sleep));
    await Promise.all([
      chat.post('CROLL', textMessage('one')),
      chat.post('CROLL', textMessage('two')),
      chat.post('COTHER', textMessage('three')),
    ]);
    expect(v.t.slept).toEqual([1_000]);
    expect(fake.callsTo('chat.postMessage').map((c) => c.args.text)).toEqual(['one', 'three', 'two']);
  });

  it('makes a command reply wait for a post the alert worker just made to that channel', async () => {
    const v = virtualTime();
    const pacer = new SlackPacer(v.now, v.sleep);
    // The delivery worker posted an alert to #rollout (it records the post on the shared pacer).
    pacer.used(postKey('CROLL'), v.now(), 1_000);
    await chatWith(pacer).post('CROLL', textMessage('flag on staging: done'));
    expect(v.t.slept).toEqual([1_000]);
  });

  it("honours a Retry-After the alert worker was given, and the worker sees the command's post", async () => {
    const v = virtualTime();
    const pacer = new SlackPacer(v.now, v.sleep);
    pacer.pauseUntil(postKey('CROLL'), v.now() + 30_000);
    const chat = chatWith(pacer);
    await chat.post('CROLL', textMessage('after the 429'));
    expect(v.t.slept).toEqual([30_000]);
    // And the other way round: right after a command reply the worker holds its alert back.
    expect(pacer.ready(postKey('CROLL'), v.now())).toBe(false);
    expect(pacer.nextReady([postKey('CROLL')], v.now())).toBe(v.now() + 1_000);
  });
});
