import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * Two instances of the bot on one database and the same Heroku (two dynos; each its own fake Slack,
 * to tell their publishes apart). A flag flipped through one must show on the Home tab the other
 * publishes next, not its cached view of Heroku (kept up to 5 minutes).
 */
describe('Home across two instances', () => {
  const apps: BootedApp[] = [];
  afterEach(async () => {
    for (const a of apps.reverse()) await a.stop();
    apps.length = 0;
  });

  let seq = 0;
  async function openOn(b: BootedApp, userId: string): Promise<string> {
    const before = b.slack.callsTo('views.publish').length;
    const event = { ...fixture('app_home_opened_event.json'), user: userId };
    const res = await b.driver.event({
      ...fixture('events_api_reaction_added.json'),
      event,
      event_id: `EvTWO${++seq}`,
    });
    expect(res.status).toBe(200);
    const calls = await b.slack.waitForCalls(
      (c: SlackCall) => c.method === 'views.publish' && c.args.user_id === userId,
      before + 1,
    );
    return JSON.stringify(calls[before]!.args.view);
  }

  it('a flag flipped through instance A shows when the Home tab is next opened through instance B', async () => {
    const a = await bootApp({ appOptions: { homePeerPollMs: 20 } });
    apps.push(a);
    // Its own fake Slack, so what B publishes is told apart from A's refreshes.
    const b = await bootApp({
      heroku: a.heroku,
      github: a.github,
      sqlitePath: a.sqlitePath,
      appOptions: { homePeerPollMs: 20 },
    });
    apps.push(b);
    expect(await openOn(b, USERS.vic)).toContain('\\"false\\" (off)');

    const res = await a.driver.command('flag on staging --reason "try"', { userId: USERS.ana, channelId: 'CROLLOUT' });
    await a.slack.waitForResponses(1, res.responseId);
    expect(a.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    // A refreshes every recent viewer (they are in the shared store), Vic included.
    await a.slack.waitForCalls(
      (c: SlackCall) =>
        c.method === 'views.publish' && c.args.user_id === USERS.vic && JSON.stringify(c.args.view).includes('(on)'),
    );

    // B looks for other instances' writes every 20 ms here (15 s in production); its next publish reads afresh.
    const deadline = Date.now() + 5_000;
    let view = '';
    while (Date.now() < deadline) {
      view = await openOn(b, USERS.vic);
      if (view.includes(`\\"true\\" (on) by <@${USERS.ana}>`)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(view).toContain(`\\"true\\" (on) by <@${USERS.ana}>`);
  });
});
