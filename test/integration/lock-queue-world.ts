import { expect } from 'vitest';
import { bootApp, USERS, type BootedApp, type BootOptions } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { TestClock } from '../support/test-clock.ts';

/** A button as Block Kit carries it (actions blocks' elements). */
export interface SlackButton {
  action_id: string;
  value: string;
  text: { text: string };
}

export function buttonsIn(body: Record<string, unknown>): SlackButton[] {
  const blocks = (body.blocks ?? []) as { type: string; elements?: SlackButton[] }[];
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
}

/** The app over signed HTTP, the injected clock, and helpers to type and click as someone. */
export interface QueueWorld {
  b: BootedApp;
  clock: TestClock;
  /** `/autorisen <text>` as `userId` in #rollout; what they see in answer. */
  type(userId: string, text: string, b?: BootedApp): Promise<{ text: string; buttons: SlackButton[] }>;
  /** Click a button (`autorisen:run`) as `userId`; what they see in answer. */
  click(userId: string, button: SlackButton, b?: BootedApp): Promise<{ text: string; buttons: SlackButton[] }>;
  /** A lock of `kind` held by Ana from now for `ttlMs`, as a run (or a process that died) leaves it. */
  hold(env: string, kind: string, ttlMs: number): Promise<void>;
  /** chat.postMessage calls to `channel` whose text includes `has`. */
  posts(channel: string, has: string, b?: BootedApp): SlackCall[];
}

export async function queueWorld(opts: BootOptions = {}): Promise<QueueWorld> {
  const clock = (opts.clock as TestClock | undefined) ?? new TestClock(Date.UTC(2026, 11, 7, 9, 0, 0));
  const b = await bootApp({ clock, appOptions: { lockQueueSweepMs: 0 }, ...opts });
  const answer = async (bb: BootedApp, res: { json: unknown; responseId: string }) => {
    const body = await bb.slack.answerTo(res);
    return { text: String(body.text ?? ''), buttons: buttonsIn(body) };
  };
  return {
    b,
    clock,
    async type(userId, text, bb = b) {
      return answer(bb, await bb.driver.command(text, { userId, channelId: 'CROLLOUT' }));
    },
    async click(userId, button, bb = b) {
      const res = await bb.driver.click({
        actionId: button.action_id,
        value: button.value,
        userId,
        channelId: 'CROLLOUT',
      });
      expect(res.status).toBe(200);
      const [post] = await bb.slack.waitForResponses(1, res.responseId);
      return { text: String(post!.body.text ?? ''), buttons: buttonsIn(post!.body) };
    },
    async hold(env, kind, ttlMs) {
      const now = clock.now();
      const r = await b.app.store.locks.acquire({
        env,
        holderId: USERS.ana,
        kind,
        reason: `${kind} in progress`,
        token: `held-${env}`,
        acquiredAt: now,
        expiresAt: now + ttlMs,
      });
      expect(r.ok).toBe(true);
    },
    posts(channel, has, bb = b) {
      return bb.slack
        .callsTo('chat.postMessage')
        .filter((c) => c.args.channel === channel && String(c.args.text ?? '').includes(has));
    },
  };
}

export { USERS };
