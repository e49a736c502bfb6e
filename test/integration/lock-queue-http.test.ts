import { afterEach, describe, expect, it } from 'vitest';
import type { BootedApp } from '../drivers/boot-app.ts';
import { queueWorld, USERS, type QueueWorld } from './lock-queue-world.ts';

const TURN_TEXT = 'your turn in its queue';

/**
 * Lock queues (issue 23 §3) over signed HTTP against the fakes: "Queue me" on a refusal, first in
 * first out, the first told (DM and channel) with "Run now" when the lock is released, `/autorisen
 * locks`, a restart and two instances.
 */
describe('lock queues', () => {
  const booted: BootedApp[] = [];
  afterEach(async () => {
    for (const b of booted.reverse()) await b.stop();
    booted.length = 0;
  });
  async function world(): Promise<QueueWorld> {
    const w = await queueWorld();
    booted.push(w.b);
    return w;
  }

  it('a refusal offers Queue me; the first in line is told when the lock is released and Run now runs their line', async () => {
    const w = await world();
    expect((await w.type(USERS.ana, 'lock staging demo at 3pm')).text).toContain('locked staging');
    const refused = await w.type(USERS.ben, 'flag on staging --reason "try it"');
    expect(refused.text).toContain('holds the staging lock (manual: demo at 3pm');
    const queueMe = refused.buttons.find((x) => x.text.text === 'Queue me')!;
    expect(queueMe.value).toBe('flag on staging --reason "try it" --queue');
    expect((await w.click(USERS.ben, queueMe)).text).toContain('number 1 in the queue for staging');
    // A double click keeps the place; Cy queues behind with the option typed.
    expect((await w.click(USERS.ben, queueMe)).text).toContain('number 1 in the queue for staging (you were already');
    expect((await w.type(USERS.cy, 'flag on stage --queue --reason second')).text).toContain('number 2 in the queue');

    w.clock.advance(5 * 60_000);
    const locks = await w.type(USERS.vic, 'locks');
    expect(locks.text).toContain(`staging*: locked by <@${USERS.ana}> (manual) 5 min ago: demo at 3pm`);
    expect(locks.text).toMatch(/1\. <@UBEN0002> since 5 min ago: `flag on staging --reason "try it"`/);
    expect(locks.text).toContain('2. <@UCY00003> since 5 min ago: `flag on stage --reason second`');
    expect(locks.text).toContain('*production*: free');

    expect((await w.type(USERS.ana, 'unlock staging')).text).toContain('unlocked staging');
    const [dm] = await w.b.slack.waitForCalls(
      (c) => c.args.channel === USERS.ben && String(c.args.text).includes(TURN_TEXT),
    );
    expect(String(dm!.args.text)).toContain('staging is no longer locked');
    await w.b.slack.waitForCalls((c) => c.args.channel === 'CROLLOUT' && String(c.args.text).includes(TURN_TEXT));
    expect(w.posts(USERS.cy, TURN_TEXT)).toEqual([]);
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');

    // Run now: Ben's line as typed, re-planned now; its flag lock taken and released ends his turn.
    w.clock.advance(60_000);
    const runNow = buttonsInCall(dm!).find((x) => x.text.text === 'Run now')!;
    expect(runNow.value).toBe('flag on staging --reason "try it"');
    await w.click(USERS.ben, runNow);
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    await w.b.slack.waitForCalls((c) => c.args.channel === USERS.cy && String(c.args.text).includes(TURN_TEXT));
    const audit = await w.b.app.store.audit.latest({ limit: 50 });
    expect(audit.map((r) => `${r.command}:${r.action}:${r.result}`)).toEqual(
      expect.arrayContaining(['flag on:invoke:queued', 'locks:queue_turn:ok', 'flag on:execute:ok']),
    );
  });

  it('the kill switch never queues: flag off takes no --queue', async () => {
    const w = await world();
    await w.type(USERS.ana, 'lock production incident');
    const r = await w.type(USERS.ben, 'flag off production --queue --reason "stop"');
    expect(r.text).toContain('has no option `--queue`');
    expect(r.text).toContain('Nothing was run');
  });

  it('after a restart, a flag lock a dead process left is released and the queue is told', async () => {
    const w = await world();
    await w.hold('staging', 'flag', 120_000);
    expect((await w.type(USERS.ben, 'flag on staging --queue --reason later')).text).toContain('number 1 in the queue');
    w.clock.advance(1000);
    const again = await w.b.restart();
    booted.push(again);
    await again.slack.waitForCalls((c) => c.args.channel === USERS.ben && String(c.args.text).includes(TURN_TEXT));
  });

  it('a lock that expires is found by the sweep; two instances tell the first in line once', async () => {
    const w = await world();
    const other = await queueWorld({
      slack: w.b.slack,
      heroku: w.b.heroku,
      github: w.b.github,
      sqlitePath: w.b.sqlitePath,
      clock: w.clock,
    });
    booted.push(other.b);
    await w.hold('production', 'deploy', 60_000);
    expect((await w.type(USERS.ben, 'rollback production --queue')).text).toContain('number 1 in the queue');
    expect((await other.type(USERS.cy, 'rollback prod --queue', other.b)).text).toContain('number 2 in the queue');
    await Promise.all([w.b.app.ops.lockQueue.sweep(), other.b.app.ops.lockQueue.sweep()]);
    expect(w.posts(USERS.ben, TURN_TEXT)).toEqual([]);
    w.clock.advance(61_000);
    await Promise.all([
      w.b.app.ops.lockQueue.sweep(),
      other.b.app.ops.lockQueue.sweep(),
      w.b.app.ops.lockQueue.sweep(),
    ]);
    expect(w.posts(USERS.ben, TURN_TEXT)).toHaveLength(1);
    expect(w.posts(USERS.cy, TURN_TEXT)).toEqual([]);
    // Ben's turn stays his for a while; after it the next is told, once.
    w.clock.advance(16 * 60_000);
    await Promise.all([w.b.app.ops.lockQueue.sweep(), other.b.app.ops.lockQueue.sweep()]);
    expect(w.posts(USERS.cy, TURN_TEXT)).toHaveLength(1);
    expect(w.posts(USERS.ben, TURN_TEXT)).toHaveLength(1);
  });
});

function buttonsInCall(call: { args: Record<string, unknown> }) {
  const blocks = (call.args.blocks ?? []) as {
    type: string;
    elements?: { action_id: string; value: string; text: { text: string } }[];
  }[];
  return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
}
