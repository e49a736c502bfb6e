import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';

/** The flag end to end: the real app over signed Slack HTTP, against the fake Heroku API. */
let b: BootedApp;
beforeEach(async () => {
  b = await bootApp();
});
afterEach(async () => b?.stop());

/** Send `/autorisen <text>` and wait for its one reply on the response_url. */
async function say(userId: string, text: string): Promise<{ text: string; responseType: unknown }> {
  const res = await b.driver.command(text, { userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  const ack = res.json ? JSON.stringify(res.json) : '';
  if (ack.includes('"text"'))
    return {
      text: String((res.json as { text: unknown }).text),
      responseType: (res.json as { response_type?: unknown }).response_type,
    };
  const [reply] = await b.slack.waitForResponses(1, res.responseId);
  return { text: String(reply!.body.text), responseType: reply!.body.response_type };
}

async function click(userId: string, value: string): Promise<string[]> {
  const res = await b.driver.click({ actionId: APPROVE_ACTION, value, userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  const replies = await b.slack.waitForResponses(1, res.responseId).catch(() => []);
  return replies.map((r) => String(r.body.text));
}

function approveButtonValue(call: SlackCall): string {
  const blocks = (call.args.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  const button = blocks.flatMap((x) => x.elements ?? []).find((e) => e.action_id === APPROVE_ACTION);
  if (!button?.value) throw new Error('no Approve button in the posted message');
  return button.value;
}

const flagOf = (app: string) => b.heroku.app(app).configVars.FEATURE_AUTORISEN;

describe('flag over signed HTTP', () => {
  it('status, then on in staging directly (announced), and status credits the requester', async () => {
    expect((await say(USERS.vic, 'flag status')).text).toMatch(
      /production\* \(capecraft\): FEATURE_AUTORISEN "false" \(off\) · current release v2/,
    );
    const on = await say(USERS.ana, 'flag on staging --reason "try it"');
    expect(on.text).toMatch(/turned the rollout flag \*on\* in staging .*release v3/);
    expect(on.responseType).toBe('in_channel');
    expect(flagOf('autorisen')).toBe('true');
    expect((await say(USERS.vic, 'flag status stage')).text).toMatch(
      new RegExp(`last changed in v3 .*by <@${USERS.ana}>`),
    );
    const rows = await b.app.store.audit.latest({ limit: 10, actorId: USERS.ana });
    expect(rows[0]).toMatchObject({ command: 'flag on', action: 'execute', result: 'ok', env: 'staging' });
  });

  it('production on goes through an approval by a second operator; self and viewer are refused', async () => {
    expect((await say(USERS.ana, 'flag on production --reason "launch"')).text).toMatch(
      /Asked the channel for approval/,
    );
    const [post] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION),
    );
    expect(String(post!.args.text)).toMatch(/STAGING FIRST/);
    const id = approveButtonValue(post!);
    expect((await click(USERS.ana, id)).join()).toMatch(/someone else has to approve/);
    expect((await click(USERS.vic, id)).join()).toMatch(/you are a viewer/);
    expect(flagOf('capecraft')).toBe('false');
    await click(USERS.ben, id);
    await b.slack.waitForCalls((c) => c.method === 'chat.update' && /done/.test(String(c.args.text)));
    expect(flagOf('capecraft')).toBe('true');
  });

  it('off is immediate in production and announced; a viewer cannot flip it', async () => {
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    expect((await say(USERS.vic, 'flag off production')).text).toMatch(/needs the operator role/);
    const off = await say(USERS.cy, 'flag off prod --reason "errors"');
    expect(off.text).toMatch(/turned the rollout flag \*off\* in production/);
    expect(off.responseType).toBe('in_channel');
    expect(flagOf('capecraft')).toBe('false');
  });

  it('a Heroku 401 becomes a clear message naming HEROKU_API_KEY, an audit row, nothing changed', async () => {
    b.heroku.fail({ status: 401, method: 'PATCH' });
    expect((await say(USERS.ana, 'flag on staging')).text).toMatch(/HEROKU_API_KEY.*still "false"/);
    expect(flagOf('autorisen')).toBe('false');
    expect((await b.app.store.audit.latest({ limit: 1 }))[0]).toMatchObject({
      result: 'error',
      detail: expect.stringContaining('heroku_unauthorized'),
    });
  });

  it('a rollback that flipped the flag shows in status', async () => {
    await say(USERS.ana, 'flag on staging');
    b.heroku.rollbackOutside('autorisen', 2, 'ops@example.com');
    expect((await say(USERS.vic, 'flag status staging')).text).toMatch(
      /"false" \(off\) · current release v4[\s\S]*ROLLBACK \("Rollback to v2"\)/,
    );
  });
});
