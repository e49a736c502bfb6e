import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { type GuardWorld, guardWorld } from './guard-harness.ts';

/**
 * Issue 21 §6, "Home shows them too": when a guard starts, and when it ends, Home is published
 * again for the people who had it open (a views.publish to the fake Slack), without them reopening it.
 */
let w: GuardWorld;
afterEach(async () => w?.stop());

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const homeOf = (c: SlackCall) => JSON.stringify(c.args.view);
const publishesTo = (userId: string) =>
  w.b.slack.calls.filter((c) => c.method === 'views.publish' && c.args.user_id === userId);

/** The first views.publish to `userId` after the `after` first ones that satisfies `ok`. */
async function nextHome(userId: string, after: number, ok: (view: string) => boolean): Promise<string> {
  const [call] = await w.b.slack.waitForCalls((c) => {
    if (c.method !== 'views.publish' || c.args.user_id !== userId) return false;
    return publishesTo(userId).indexOf(c) >= after && ok(homeOf(c));
  });
  return homeOf(call!);
}

describe('Home and the guard', () => {
  it('republishes when a guard starts (its line appears) and when it ends (the line goes)', async () => {
    w = await guardWorld();
    const event = { ...fixture('app_home_opened_event.json'), user: USERS.vic };
    const opened = await w.b.driver.event({
      ...fixture('events_api_reaction_added.json'),
      event,
      event_id: 'Ev0GUARD01',
    });
    expect(opened.status).toBe(200);
    await nextHome(USERS.vic, 0, (v) => v.includes('autorisen rollout'));
    await w.flagOn();
    await w.baseline();

    const beforeStart = publishesTo(USERS.vic).length;
    expect(publishesTo(USERS.vic).some((c) => homeOf(c).includes('Guarding'))).toBe(false);
    await w.sweep(); // the first look discovers the flip and starts the guard
    expect(await w.b.app.store.guards.active('staging')).toHaveLength(1);
    const started = await nextHome(USERS.vic, beforeStart, (v) => v.includes('Guarding'));
    expect(started).toMatch(/Guarding FEATURE_AUTORISEN went on \(v\d+\): \d+ min left; on a regression: flag off/);

    const beforeEnd = publishesTo(USERS.vic).length;
    expect(await w.say(USERS.ben, 'guard stop staging')).toMatch(/stopped|ended/i);
    expect(await w.b.app.store.guards.active('staging')).toHaveLength(0);
    const ended = await nextHome(USERS.vic, beforeEnd, (v) => v.includes('autorisen rollout'));
    expect(ended).not.toContain('Guarding');
  });
});
