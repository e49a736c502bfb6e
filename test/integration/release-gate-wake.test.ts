import { afterEach, describe, expect, it } from 'vitest';
import { REJECT_ACTION } from '../../src/services/approvals/message.ts';
import { USERS, type BootedApp } from '../drivers/boot-app.ts';
import { freshAppSchema } from '../support/test-databases.ts';
import { buttonsOf, messages, textOf, until } from './deploy-harness.ts';
import {
  approveGate,
  bootReleaseWorld,
  CHANNEL,
  gateMessage,
  releaseIn,
  type ReleaseWorld,
} from './release-harness.ts';

/**
 * Issue 19 §5: a release waiting at its production gate holds both environments' locks. A Reject
 * must release them at once, not at the gate's next look 30 s later. The injected clock is held
 * still from the moment the gate waits, so that look can never come: only the decision can wake the
 * run, on the instance that got the click or on the one driving the release.
 */
let w: ReleaseWorld | undefined;
let other: BootedApp | undefined;
let dropSchema: (() => Promise<void>) | undefined;
let letTimeGo = () => {};
afterEach(async () => {
  letTimeGo();
  await other?.stop();
  await w?.stop();
  await dropSchema?.();
  w = other = dropSchema = undefined;
});

/** From the moment the release waits at its gate, no sleep on the injected clock ever returns. */
function holdTimeAtTheGate(world: ReleaseWorld): { sleepsFinishedAtGate: () => number } {
  const frozen = new Promise<void>((r) => (letTimeGo = r));
  let finished = 0;
  world.clock.hook = async () => {
    const [run] = await world.b.app.store.workflows.latest({ workflow: 'release', env: null, limit: 1 });
    if (run?.state !== 'waiting' || run.waitingFor !== 'approved') return;
    await frozen;
    if (!world.clock.stopping) finished++;
  };
  return { sleepsFinishedAtGate: () => finished };
}

async function rejectAt(b: BootedApp, approver = USERS.ben): Promise<void> {
  const m = await gateMessage(b);
  const id = buttonsOf(m).find((x) => x.action_id === REJECT_ACTION)!.value;
  const res = await b.driver.click({
    actionId: REJECT_ACTION,
    value: id,
    userId: approver,
    channelId: CHANNEL,
    messageTs: m.ts,
  });
  expect(res.status).toBe(200);
}

/** Reject at `clicked`, then: the run stopped, both locks free, the root message says rejected, time never moved. */
async function expectRejectedAtOnce(world: ReleaseWorld, clicked: BootedApp): Promise<void> {
  const held = holdTimeAtTheGate(world);
  await world.b.driver.command('release', { userId: USERS.ana, channelId: CHANNEL });
  await until(async () => {
    const [run] = await world.b.app.store.workflows.latest({ workflow: 'release', env: null, limit: 1 });
    return run?.state === 'waiting' && run.waitingFor === 'approved';
  }, 'the release to wait at its gate');
  await gateMessage(world.b);
  const now = world.clock.now();
  expect(await world.b.app.store.locks.get('production', now)).not.toBeNull();
  expect(await world.b.app.store.locks.get('staging', now)).not.toBeNull();

  await rejectAt(clicked);
  const run = await releaseIn(() => world.b, ['failed', 'done', 'faulty', 'abandoned']);
  expect(run.state).toBe('failed');
  expect(run.error).toMatch(/rejected by <@UBEN/);
  const { locks } = world.b.app.store;
  await until(
    async () => !(await locks.get('production', now)) && !(await locks.get('staging', now)),
    'both locks released',
  );
  await until(
    () => /rejected/.test(textOf(messages(world.b).find((m) => m.ts === run.statusTs))),
    'the root message to say rejected',
  );
  // The gate's 30 s look never came: the clock did not move and no sleep at the gate returned.
  expect(world.clock.now()).toBe(now);
  expect(held.sleepsFinishedAtGate()).toBe(0);
  // A deploy asked right after is not refused as busy by the release's locks.
  const deploy = await world.b.driver.command('lock staging --reason "after the rejection"', {
    userId: USERS.ana,
    channelId: CHANNEL,
  });
  const answer = await world.b.slack.answerTo(deploy);
  expect(String(answer.text)).not.toMatch(/release/i);
}

describe('a rejected release lets go of its locks at once', () => {
  it("on one instance (SQLite): the Reject wakes the waiting run without the gate's 30 s look", async () => {
    w = await bootReleaseWorld();
    await expectRejectedAtOnce(w, w.b);
  });

  it('on two instances (PostgreSQL): the Reject reaches the one not driving the release', async () => {
    const db = await freshAppSchema('gate_wake');
    dropSchema = db.drop;
    w = await bootReleaseWorld({ databaseUrl: db.url });
    // The second instance starts before the release, so it drives nothing: it only gets the click.
    other = await w.another();
    await expectRejectedAtOnce(w, other);
  });

  it('on two instances (PostgreSQL): an Approve at the other instance moves the release past its gate at once', async () => {
    const db = await freshAppSchema('gate_wake');
    dropSchema = db.drop;
    w = await bootReleaseWorld({ databaseUrl: db.url });
    other = await w.another();
    const world = w;
    holdTimeAtTheGate(world);
    await world.b.driver.command('release', { userId: USERS.ana, channelId: CHANNEL });
    await gateMessage(world.b);
    const atGate = await until(async () => {
      const [run] = await world.b.app.store.workflows.latest({ workflow: 'release', env: null, limit: 1 });
      return run?.state === 'waiting' && run.waitingFor === 'approved' ? run : null;
    }, 'the release to wait at its gate');
    const now = world.clock.now();
    await approveGate(other, USERS.ben);
    // The driving instance woke without its clock moving: the gate step is done and the run went on.
    await until(async () => {
      const run = await world.b.app.store.workflows.get(atGate.id);
      return run && run.stepIndex > atGate.stepIndex;
    }, 'the release to pass its gate');
    expect(world.clock.now()).toBe(now);
  });
});
