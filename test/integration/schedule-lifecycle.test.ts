import { afterEach, describe, expect, it } from 'vitest';
import type { BootedApp } from '../drivers/boot-app.ts';
import { buttonsIn } from './lock-queue-world.ts';
import { MIN, scheduleWorld, type ScheduleWorld, until, USERS } from './schedule-world.ts';

const QUESTION = 'Should it still run?';

/**
 * Scheduled flag changes (issue 23 §1) between scheduling and running: a flag off asks whether the
 * `on` should still run (confirm, cancel, unanswered), a restart keeps it, a stop past its time
 * makes it "missed", and a run a dead process left is settled by reading the flag back.
 */
describe('scheduled flag changes over time', () => {
  let w: ScheduleWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  async function offInBetween(): Promise<{ keep: string; cancel: string; id: string }> {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging');
    await w.type(USERS.ana, 'flag off staging');
    await w.type(USERS.ana, 'flag on staging in 1h --reason "second try"');
    const [rec] = await w.b.app.store.schedules.open();
    w.clock.advance(10 * MIN);
    await w.sweep();
    expect(w.posts('CROLLOUT', QUESTION)).toEqual([]);
    // The guard or a person pulls the kill switch: it cancels nothing by itself, but asks.
    await w.type(USERS.ben, 'flag off staging --reason "errors"');
    await w.type(USERS.ana, 'flag on staging');
    await w.type(USERS.ben, 'flag off staging --reason "errors again"');
    await w.sweep();
    await w.sweep();
    const asked = w.posts('CROLLOUT', QUESTION);
    expect(asked).toHaveLength(1);
    expect(String(asked[0]!.args.text)).toContain(`turned off in staging by <@${USERS.ben}>`);
    const buttons = buttonsIn(asked[0]!.args);
    expect(buttons.map((b) => b.text.text)).toEqual(['Still turn it on at 2026-12-07 10:00 UTC', 'Cancel it']);
    return { keep: buttons[0]!.value, cancel: buttons[1]!.value, id: rec!.id };
  }

  it('a flag off in between asks; "Still turn it on" lets it run at its time', async () => {
    const q = await offInBetween();
    // A viewer cannot answer (the button handler checks the role and audits the refusal).
    await w!.press(USERS.vic, 'autorisen:schedule-keep', q.keep);
    expect((await w!.b.app.store.schedules.get(q.id))?.askedAt).not.toBeNull();
    await w!.press(USERS.cy, 'autorisen:schedule-keep', q.keep);
    await until(async () => (await w!.b.app.store.schedules.get(q.id))?.askedAt === null, 'the confirmation');
    w!.clock.advance(50 * MIN);
    await w!.sweep();
    expect(w!.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    const clicks = (await w!.b.app.store.audit.latest({ limit: 40 })).filter((r) => r.command === 'button');
    expect(clicks.map((r) => `${r.actorId}:${r.result}`)).toEqual(
      expect.arrayContaining([`${USERS.vic}:denied`, `${USERS.cy}:ok`]),
    );
  });

  it('a flag off in between asks; "Cancel it" cancels it', async () => {
    const q = await offInBetween();
    await w!.press(USERS.cy, 'autorisen:schedule-cancel', q.cancel);
    await until(async () => (await w!.b.app.store.schedules.get(q.id))?.state === 'cancelled', 'the cancel');
    w!.clock.advance(50 * MIN);
    await w!.sweep();
    expect(w!.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
  });

  it('a flag off in between, unanswered by the run time: skipped with that reason', async () => {
    const q = await offInBetween();
    w!.clock.advance(50 * MIN);
    await w!.sweep();
    expect(w!.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
    expect(await w!.b.app.store.schedules.get(q.id)).toMatchObject({
      state: 'skipped',
      outcome: expect.stringContaining('nobody confirmed it should still turn it on'),
    });
    expect(w!.thread('nobody confirmed')).toHaveLength(1);
  });

  it('survives a restart between scheduling and its time', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging in 45m');
    const again = await w.b.restart();
    w.clock.advance(45 * MIN);
    await w.sweep(again);
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    await again.stop();
  });

  it('a restart past its time: within the grace it runs and says how late; after it, skipped as missed', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging in 20m');
    await w.type(USERS.ana, 'flag on staging in 30m');
    const [missed, late] = await w.b.app.store.schedules.open();
    await w.b.app.stop();
    // Down from 09:00 to 09:37: the 09:20 one is 17 min late (past the 10 min grace), the 09:30 one 7 min.
    w.clock.advance(37 * MIN);
    const again: BootedApp = await w.another();
    await until(async () => (await again.app.store.schedules.open()).length === 0, 'the boot sweep');
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    expect(await again.app.store.schedules.get(late!.id)).toMatchObject({
      state: 'ran',
      outcome: expect.stringContaining('Ran 7 min late'),
    });
    expect(await again.app.store.schedules.get(missed!.id)).toMatchObject({
      state: 'skipped',
      outcome: expect.stringContaining('Missed: no instance of the bot was running at 2026-12-07 09:20 UTC'),
    });
    expect(w.posts(USERS.ana, 'Missed')).toHaveLength(1);
    expect(w.patches('autorisen')).toBe(1);
  });

  it('a run a dead process left mid-way is settled by reading the flag back, never run twice', async () => {
    w = await scheduleWorld();
    const dies = async (flagAfter: 'true' | 'false') => {
      await w!.type(USERS.ana, 'flag on staging in 10m');
      const [rec] = await w!.b.app.store.schedules.open();
      w!.clock.advance(10 * MIN);
      await w!.b.app.store.schedules.transition(rec!.id, 'scheduled', 'running', {
        claimedAt: w!.clock.now(),
        claimedBy: 'dead',
      });
      w!.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN = flagAfter;
      // A live claim is left alone; one older than the stale limit is settled.
      await w!.sweep();
      expect((await w!.b.app.store.schedules.get(rec!.id))?.state).toBe('running');
      w!.clock.advance(6 * MIN);
      await w!.sweep();
      return w!.b.app.store.schedules.get(rec!.id);
    };
    expect(await dies('true')).toMatchObject({ state: 'ran', outcome: expect.stringContaining('reads as on') });
    expect(await dies('false')).toMatchObject({
      state: 'failed',
      outcome: expect.stringContaining('Interrupted by a restart'),
    });
    expect(w.patches('autorisen')).toBe(0);
  });

  it('the code check at run time: production no longer serves the routes, so it is skipped saying why', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on production in 1h --reason "launch"');
    const [approve] = await w.approvalButtons();
    await w.press(USERS.ben, approve!.action_id, approve!.value);
    await until(async () => (await w!.b.app.store.schedules.open()).length === 1, 'the schedule');
    // A rollback since took the code away: the plan refuses at its time, as it would for anyone.
    const doc = w.specs.production.doc;
    for (const p of Object.keys(doc.paths)) if (p.startsWith('/api/autorisen/')) delete doc.paths[p];
    w.clock.advance(60 * MIN);
    await w.sweep();
    expect(w.patches('capecraft')).toBe(0);
    const [done] = await w.b.app.store.schedules.finished(0, 1);
    expect(done).toMatchObject({ state: 'skipped', outcome: expect.stringContaining('Not turning the flag on') });
    expect(w.posts('CROLLOUT', 'did not run')).toHaveLength(1);
  });
});
