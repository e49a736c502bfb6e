import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { REVIEW_ACTION } from '../../src/core/break-glass.ts';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { ask, submit } from './break-glass-harness.ts';

/** Home lists the break-glass reviews still open (issue 23 §2), with the button for those who may acknowledge. */
let b: BootedApp;
afterEach(async () => b?.stop());

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const homeOf = (c: SlackCall) => JSON.stringify(c.args.view);

async function openHome(userId: string, n: number): Promise<string> {
  const event = { ...fixture('app_home_opened_event.json'), user: userId };
  await b.driver.event({ ...fixture('events_api_reaction_added.json'), event, event_id: `Ev0HOME${n}` });
  const [call] = await b.slack.waitForCalls(
    (c) => c.method === 'views.publish' && c.args.user_id === userId && homeOf(c).includes('Break-glass reviews'),
  );
  return homeOf(call!);
}

describe('Home and break-glass reviews', () => {
  it('shows the open review, with Acknowledge for another operator and not for the actor', async () => {
    b = await bootApp();
    const { viewId } = await ask(b, 'flag on production --break-glass --reason "checkout is down"');
    await submit(b, viewId!, 'production');
    await b.slack.waitForCalls((c) => c.method === 'chat.postMessage' && /review needed/.test(String(c.args.text)));
    const ben = await openHome(USERS.ben, 1);
    expect(ben).toMatch(/Break-glass reviews waiting\* \(1\)/);
    expect(ben).toContain('checkout is down');
    expect(ben).toContain(REVIEW_ACTION);
    const ada = await openHome(USERS.ada, 2);
    expect(ada).not.toContain(REVIEW_ACTION);
  });
});
