import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { until } from './deploy-harness.ts';
import { buttonsIn } from './lock-queue-world.ts';
import { bootReleaseWorld, CHANNEL, releaseIn, type ReleaseWorld } from './release-harness.ts';

const TURN_TEXT = 'your turn in its queue';

/**
 * Issue 23 §3, the known gap: a release takes staging's lock and production's. Refused because
 * *staging* is locked, the caller must wait in staging's queue (production is free: its queue would
 * never be told), and be told when staging's lock is released.
 */
describe('a release refused by a locked staging', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  /** `/autorisen <text>` as `userId`; the answer's text and buttons. */
  async function type(userId: string, text: string) {
    const body = await w.b.slack.answerTo(await w.b.driver.command(text, { userId, channelId: CHANNEL }));
    return { text: String(body.text ?? ''), buttons: buttonsIn(body) };
  }

  async function click(userId: string, button: { action_id: string; value: string }) {
    const res = await w.b.driver.click({ actionId: button.action_id, value: button.value, userId, channelId: CHANNEL });
    expect(res.status).toBe(200);
    const [post] = await w.b.slack.waitForResponses(1, res.responseId);
    return String(post!.body.text ?? '');
  }

  it("queues the caller on staging, tells them when staging's lock is released, and Run now re-plans the release", async () => {
    w = await bootReleaseWorld();
    expect((await type(USERS.ana, 'lock staging demo at 3pm')).text).toContain('locked staging');

    const refused = await type(USERS.ben, 'release');
    expect(refused.text).toContain('staging is locked by');
    expect(refused.text).toContain("when staging's lock is released");
    const queueMe = refused.buttons.find((x) => x.text.text === 'Queue me');
    expect(queueMe?.value).toBe('release --queue');

    expect(await click(USERS.ben, queueMe!)).toContain('number 1 in the queue for staging');
    const queued = await w.b.app.store.lockQueue.waiting('staging');
    expect(queued.map((q) => [q.userId, q.commandText])).toEqual([[USERS.ben, 'release']]);
    expect(await w.b.app.store.lockQueue.waiting('production')).toEqual([]);

    expect((await type(USERS.ana, 'unlock staging')).text).toContain('unlocked staging');
    const [dm] = await w.b.slack.waitForCalls(
      (c) => c.args.channel === USERS.ben && String(c.args.text).includes(TURN_TEXT),
    );
    expect(String(dm!.args.text)).toContain('staging is no longer locked');

    const runNow = buttonsIn(dm!.args).find((x) => x.text.text === 'Run now')!;
    expect(runNow.value).toBe('release');
    // The release answers in its own thread (its root message), not on response_url.
    const res = await w.b.driver.click({
      actionId: runNow.action_id,
      value: runNow.value,
      userId: USERS.ben,
      channelId: CHANNEL,
    });
    expect(res.status).toBe(200);
    const run = await releaseIn(() => w.b, ['running', 'waiting', 'done', 'failed']);
    expect(run.requesterId).toBe(USERS.ben);
    expect(run.input).toMatchObject({ sha: w.shas.head });
    // The release holds both environments now; the queue on staging is served.
    await until(async () => (await w.b.app.store.locks.get('staging', w.clock.now()))?.kind === 'release', 'the lock');
    expect(await w.b.app.store.lockQueue.waiting('staging')).toEqual([]);
  });
});
