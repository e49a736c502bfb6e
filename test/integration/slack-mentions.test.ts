import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseMention, userRef } from '../../src/core/mentions.ts';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';

/** Issue 10 §4: Slack's escaped mentions (should_escape: true) understood in command text. */
describe('escaped mentions', () => {
  it('parses users, channels and user groups, with or without a label', () => {
    expect(parseMention('<@U123ABC|ana>')).toEqual({ kind: 'user', id: 'U123ABC', label: 'ana' });
    expect(parseMention('<@W123ABC>')).toEqual({ kind: 'user', id: 'W123ABC', label: null });
    expect(parseMention('<#C123ABC|rollout>')).toEqual({ kind: 'channel', id: 'C123ABC', label: 'rollout' });
    expect(parseMention('<!subteam^S123ABC|@ops>')).toEqual({ kind: 'group', id: 'S123ABC', label: 'ops' });
    expect(parseMention('<!subteam^S123ABC>')).toEqual({ kind: 'group', id: 'S123ABC', label: null });
    expect(parseMention('@ana')).toBeNull();
    expect(userRef('<#C123ABC|rollout>')).toMatchObject({ ok: false, error: '"rollout" is a channel, not a user.' });
  });
});

describe('audit --user over signed HTTP', () => {
  let b: BootedApp;
  beforeAll(async () => {
    b = await bootApp();
  });
  afterAll(async () => b?.stop());

  async function say(userId: string, text: string): Promise<string> {
    const res = await b.driver.command(text, { userId, channelId: 'CROLLOUT' });
    expect(res.status).toBe(200);
    const acked = res.json as { text?: string } | null;
    if (acked?.text) return acked.text;
    const [reply] = await b.slack.waitForResponses(1, res.responseId);
    return `${String(reply!.body.text)}\n${JSON.stringify(reply!.body.blocks ?? '')}`;
  }

  it('`audit --user @ana` as Slack sends it (<@U…|ana>) lists only Ana’s entries', async () => {
    await say(USERS.ana, 'flag status');
    await say(USERS.ben, 'help');
    // A query's audit row is written after its answer (dispatcher): wait for both rows first.
    await vi.waitFor(async () => {
      const actors = (await b.app.store.audit.latest({ limit: 10 })).map((e) => e.actorId);
      expect(actors).toEqual(expect.arrayContaining([USERS.ana, USERS.ben]));
    });
    const out = await say(USERS.cy, `audit --user <@${USERS.ana}|ana>`);
    expect(out).toContain(`${USERS.ana} flag status`);
    expect(out).not.toContain(`${USERS.ben} help`);
    expect(await say(USERS.cy, `audit 5 --user <@${USERS.ana}>`)).toContain(`${USERS.ana} flag status`);
  });

  it('a plain @name Slack did not resolve says how to pick the person', async () => {
    expect(await say(USERS.cy, 'audit --user @ana')).toContain('Slack did not recognise "@ana" as a person');
  });
});
