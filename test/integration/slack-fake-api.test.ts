import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { webApi } from '@slack/bolt';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';

// The fake must answer the real client the way Slack does; these tests drive it with @slack/web-api v8.
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('FakeSlackApi', () => {
  let fake: FakeSlackApi;
  let client: webApi.WebClient;
  beforeEach(async () => {
    fake = await FakeSlackApi.start({
      token: 'xoxb-test',
      usergroups: [{ id: 'S1', handle: 'ops', name: 'Ops', users: ['U1', 'U2'] }],
    });
    client = new webApi.WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
  });
  afterEach(() => fake.close());

  it('answers chat.postMessage with the documented shape and increasing ts, decoding blocks', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    const a = await client.chat.postMessage({ channel: 'C1', text: 'hi', blocks });
    const b = await client.chat.postMessage({ channel: 'C1', text: 'again' });
    const keys = Object.keys(fixture('chat_postMessage_response.json')).sort();
    expect(
      Object.keys(a)
        .filter((k) => k !== 'response_metadata')
        .sort(),
    ).toEqual(keys);
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
    const [first] = fake.callsTo('chat.postMessage');
    expect(first!.args.blocks).toEqual(blocks);
    expect(first!.token).toBe('xoxb-test');
    expect(fake.messages.get(`C1/${a.ts}`)?.text).toBe('hi');
  });

  it('updates messages, posts ephemerals and lists user groups with users', async () => {
    const posted = await client.chat.postMessage({ channel: 'C1', text: 'v1' });
    const updated = await client.chat.update({ channel: 'C1', ts: posted.ts!, text: 'v2' });
    expect(
      Object.keys(updated)
        .filter((k) => k !== 'response_metadata')
        .sort(),
    ).toEqual(Object.keys(fixture('chat_update_response.json')).sort());
    expect(fake.messages.get(`C1/${posted.ts}`)).toMatchObject({ text: 'v2', updates: 1 });
    const eph = await client.chat.postEphemeral({ channel: 'C1', user: 'U1', text: 'psst' });
    expect(eph.message_ts).toBeTruthy();
    const groups = await client.usergroups.list({ include_users: true });
    expect(groups.usergroups?.[0]?.users).toEqual(['U1', 'U2']);
    const noUsers = await client.usergroups.list({});
    expect(noUsers.usergroups?.[0]?.users).toBeUndefined();
  });

  it('rejects a wrong token like Slack', async () => {
    const other = new webApi.WebClient('xoxb-other', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await expect(other.auth.test()).rejects.toMatchObject({
      code: webApi.ErrorCode.PlatformError,
      data: { error: 'invalid_auth' },
    });
  });

  it('injects Slack errors, 429 with Retry-After, and outages', async () => {
    fake.failNext('chat.postMessage', 'channel_not_found');
    await expect(client.chat.postMessage({ channel: 'C9', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
    await client.chat.postMessage({ channel: 'C9', text: 'x' });

    const strict = new webApi.WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    fake.rateLimitNext('chat.update', 7);
    await expect(strict.chat.update({ channel: 'C9', ts: '1.2', text: 'x' })).rejects.toMatchObject({
      code: webApi.ErrorCode.RateLimitedError,
      retryAfter: 7,
    });

    await fake.down('503');
    await expect(client.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.HTTPError, statusCode: 503 });
    await fake.restore();
    await fake.down('refused');
    await expect(client.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
    await fake.restore();
    expect((await client.auth.test()).ok).toBe(true);
  });

  it('records response_url posts and waits for them', async () => {
    const waiting = fake.waitForResponses(1, 'abc');
    await fetch(fake.responseUrl('abc'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'done', replace_original: true }),
    });
    const [post] = await waiting;
    expect(post!.body).toEqual({ text: 'done', replace_original: true });
    fake.failResponses(404);
    const res = await fetch(fake.responseUrl('abc'), { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });

  it('reports per-channel posting faster than 1/s', async () => {
    await client.chat.postMessage({ channel: 'CFAST', text: '1' });
    await client.chat.postMessage({ channel: 'CFAST', text: '2' });
    await client.chat.postMessage({ channel: 'CONE', text: '1' });
    const rates = Object.fromEntries(fake.postRates().map((r) => [r.channel, r]));
    expect(rates.CFAST).toMatchObject({ posts: 2, maxInOneSecond: 2, exceeded: true });
    expect(rates.CONE).toMatchObject({ posts: 1, exceeded: false });
  });

  it('times out waitForCalls with a message saying what was missing', async () => {
    await expect(fake.waitForCalls('chat.update', 1, 50)).rejects.toThrow(/chat.update/);
  });
});
