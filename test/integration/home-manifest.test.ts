import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';

/** The manifest's Home tab and event subscription, and the HTTP route Slack delivers the event to. */
interface Manifest {
  features: { app_home?: { home_tab_enabled?: boolean } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions?: { request_url: string; bot_events: string[] } };
}
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as Manifest;
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('manifest: the Home tab', () => {
  it('enables the Home tab and subscribes to app_home_opened, with no Home-specific scope', () => {
    expect(manifest.features.app_home?.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions?.bot_events).toEqual(['app_home_opened']);
    // app_home_opened and views.publish need no scope of their own, so none was added for Home.
    expect(manifest.oauth_config.scopes.bot.filter((sc) => /home|views/i.test(sc))).toEqual([]);
  });
});

describe('app_home_opened over HTTP (Events API request URL)', () => {
  let b: BootedApp;
  beforeEach(async () => {
    b = await bootApp();
  });
  afterEach(async () => b?.stop());

  it('is served at the manifest event request URL: a signed event publishes that user’s Home', async () => {
    const path = new URL(manifest.settings.event_subscriptions!.request_url.replace('<your-app>', 'x')).pathname;
    expect(path).toBe('/slack/events');
    const event = { ...fixture('app_home_opened_event.json'), user: USERS.ben };
    const res = await b.driver.event({ ...fixture('events_api_reaction_added.json'), event, event_id: 'Ev0HOME0001' });
    expect(res.status).toBe(200);
    const [call] = await b.slack.waitForCalls('views.publish');
    expect(call!.args.user_id).toBe(USERS.ben);
    expect(JSON.stringify(call!.args.view)).toContain('you are an operator');
  });

  it('ignores app_home_opened for the Messages tab and refuses an unsigned event', async () => {
    const messages = { ...fixture('app_home_opened_event.json'), user: USERS.ben, tab: 'messages' };
    expect((await b.driver.event({ ...fixture('events_api_reaction_added.json'), event: messages })).status).toBe(200);
    const unsigned = { ...fixture('app_home_opened_event.json'), user: USERS.vic };
    const res = await b.driver.event(
      { ...fixture('events_api_reaction_added.json'), event: unsigned },
      { signature: 'wrong' },
    );
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(b.slack.callsTo('views.publish')).toHaveLength(0);
  });
});
