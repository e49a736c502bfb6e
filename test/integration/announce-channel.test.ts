import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';

/**
 * Issue 9 §6 over signed HTTP: `announce_channel` (CROLLOUT in the default test config) hears of every
 * change and approval decision made elsewhere, and approvals asked where nobody else could approve
 * (a DM, a channel the bot cannot post in) are posted there instead, with a link for the requester.
 */
const ANNOUNCE = 'CROLLOUT';
const DM = 'D0DMANA01';
let b: BootedApp;
beforeEach(async () => {
  b = await bootApp();
});
afterEach(async () => b?.stop());

const textOf = (v: unknown): string => String((v as { text?: unknown })?.text ?? '');
const postsIn = (channel: string): SlackCall[] =>
  b.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channel && c.error === null);
const isApproval = (c: SlackCall): boolean => JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION);

async function say(userId: string, channelId: string, text: string): Promise<string> {
  const res = await b.driver.command(text, { userId, channelId });
  if (res.json && textOf(res.json)) return textOf(res.json);
  const [reply] = await b.slack.waitForResponses(1, res.responseId);
  return textOf(reply!.body);
}

describe('approvals where another operator can give them', () => {
  it('asked in a DM: posted in the announce channel, the requester gets a link, approved there', async () => {
    const reply = await say(USERS.ana, DM, 'flag on production --reason "launch"');
    expect(reply).toMatch(
      /Asked for approval of "Turn the rollout flag on in production" in <#CROLLOUT> \(<https:\/\/fake\.slack\.com\/archives\/CROLLOUT\/p\d+\|open the request>\)/,
    );
    const [post] = await b.slack.waitForCalls((c) => c.method === 'chat.postMessage' && isApproval(c));
    expect(post!.args.channel).toBe(ANNOUNCE);
    expect(postsIn(DM)).toHaveLength(0);
    const id = JSON.stringify(post!.args.blocks).match(/"value":"([^"]+)"/)![1]!;
    const click = await b.driver.click({ actionId: APPROVE_ACTION, value: id, userId: USERS.ben, channelId: ANNOUNCE });
    expect(click.status).toBe(200);
    await b.slack.waitForCalls((c) => c.method === 'chat.update' && /: done by <@UBEN0002>/.test(textOf(c.args)));
    expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('true');
    // The decision happened in the announce channel, on the request itself: no extra notice there.
    expect(postsIn(ANNOUNCE).filter((c) => !isApproval(c))).toHaveLength(0);
  });

  it('asked where the bot cannot post (channel_not_found): posted in the announce channel instead', async () => {
    b.slack.failNext('chat.postMessage', 'channel_not_found');
    const reply = await say(USERS.ana, 'CPRIVATE1', 'flag on production');
    expect(reply).toMatch(
      /in <#CROLLOUT> \(<https:\/\/fake\.slack\.com\/archives\/CROLLOUT\/p\d+\|open the request>\)/,
    );
    expect(postsIn(ANNOUNCE).filter(isApproval)).toHaveLength(1);
  });
});

describe('announcements', () => {
  it('a kill switch from a DM is announced in the announce channel', async () => {
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    expect(await say(USERS.cy, DM, 'flag off production --reason "5xx"')).toMatch(/turned the rollout flag \*off\*/);
    const [notice] = await b.slack.waitForCalls((c) => c.method === 'chat.postMessage' && c.args.channel === ANNOUNCE);
    expect(textOf(notice!.args)).toMatch(/<@UCY00003> turned the rollout flag \*off\* in production/);
  });

  it('lock and unlock elsewhere are announced; a change made in the announce channel is not repeated', async () => {
    await say(USERS.ana, 'COTHER001', 'lock staging demo at 3pm');
    await say(USERS.ana, 'COTHER001', 'unlock staging');
    await b.slack.waitForCalls((c) => c.method === 'chat.postMessage' && c.args.channel === ANNOUNCE, 2);
    expect(postsIn(ANNOUNCE).map((c) => textOf(c.args))).toEqual([
      expect.stringMatching(/locked staging: demo at 3pm/),
      expect.stringMatching(/unlocked staging/),
    ]);
    await say(USERS.ana, ANNOUNCE, 'flag on staging');
    // A later change made elsewhere is the third notice: nothing came in between for the one made here.
    await say(USERS.ana, 'COTHER001', 'lock production freeze');
    await b.slack.waitForCalls((c) => c.method === 'chat.postMessage' && c.args.channel === ANNOUNCE, 3);
    expect(postsIn(ANNOUNCE).map((c) => textOf(c.args))[2]).toMatch(/locked production: freeze/);
  });

  it('an approval decided elsewhere is announced: who approved, and how it ended', async () => {
    await say(USERS.ana, 'COTHER001', 'flag on production');
    const [post] = await b.slack.waitForCalls((c) => c.method === 'chat.postMessage' && isApproval(c));
    expect(post!.args.channel).toBe('COTHER001');
    const id = JSON.stringify(post!.args.blocks).match(/"value":"([^"]+)"/)![1]!;
    await b.driver.click({ actionId: APPROVE_ACTION, value: id, userId: USERS.ben, channelId: 'COTHER001' });
    const notices = await b.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && c.args.channel === ANNOUNCE,
      2,
    );
    expect(notices.map((c) => textOf(c.args))).toEqual([
      expect.stringMatching(/<@UBEN0002> approved <@UANA0001>'s request "Turn the rollout flag on in production"/),
      expect.stringMatching(/Turn the rollout flag on in production: .*turned the rollout flag \*on\* in production/),
    ]);
  });
});
