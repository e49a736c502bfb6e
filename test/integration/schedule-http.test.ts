import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { emptyCounts } from '../../src/core/guard/guard-types.ts';
import { defaultConfigYaml } from '../drivers/boot-app.ts';
import { MIN, scheduleWorld, type ScheduleWorld, T0, until, USERS } from './schedule-world.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

/**
 * Scheduled flag changes (issue 23 §1) over signed HTTP against the fakes: approval collected
 * ahead, the run at its time through the dispatcher as the requester, dry run, refusals, cancel.
 */
describe('scheduled flag changes', () => {
  let w: ScheduleWorld | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('production: the approval is asked now and says when; approved ahead, it runs at its time as the requester', async () => {
    w = await scheduleWorld();
    // Asked in the team's channel: the change is announced in #rollout (the announce channel) as any is.
    const res = await w.b.driver.command('flag on production at 2026-12-07 11:00 --reason "launch"', {
      userId: USERS.ana,
      channelId: 'CTEAM',
    });
    expect(String((await w.b.slack.answerTo(res)).text)).toContain('Asked the channel for approval');
    const [approve] = await w.approvalButtons();
    const approval = w.b.slack
      .callsTo('chat.postMessage')
      .find((c) => JSON.stringify(c.args).includes('autorisen:approve'))!;
    expect(JSON.stringify(approval.args)).toContain('Runs at *2026-12-07 11:00 UTC*');
    expect(JSON.stringify(approval.args)).toContain('in 2 h');
    expect(JSON.stringify(approval.args)).toContain('It runs at its time.');
    // The requester never counts; another operator approves it ahead of time.
    await w.press(USERS.ana, approve!.action_id, approve!.value);
    expect(await w.b.app.store.schedules.open()).toEqual([]);
    await w.press(USERS.ben, approve!.action_id, approve!.value);
    await until(async () => (await w!.b.app.store.schedules.open()).length === 1, 'the schedule');
    const [rec] = await w.b.app.store.schedules.open();
    expect(rec).toMatchObject({ env: 'production', target: 'on', requesterId: USERS.ana, approvedBy: [USERS.ben] });
    expect(w.b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');
    // Approved ahead: the channel hears it runs at its time, not "running now".
    await until(async () => w!.posts('CROLLOUT', 'it runs at its time').length === 1, 'the approval announced');
    expect(w.posts('CROLLOUT', 'running now')).toHaveLength(0);

    const list = await w.type(USERS.vic, 'schedule');
    expect(list.text).toContain(`\`${rec!.id}\` FEATURE_AUTORISEN on in production at 2026-12-07 11:00 UTC`);
    expect(list.text).toContain(`approved ahead by <@${USERS.ben}>`);

    // Not yet: a sweep before its time does nothing.
    w.clock.advance(119 * MIN);
    await w.sweep();
    expect(w.patches('capecraft')).toBe(0);
    w.clock.advance(MIN);
    await w.sweep();
    expect(w.b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('true');
    expect(w.patches('capecraft')).toBe(1);
    expect(w.thread('Ran on time')).toHaveLength(1);
    // Announced like any change, and audited as the requester with the schedule's id.
    await w.b.slack.waitForCalls(
      (c) =>
        c.args.channel === 'CROLLOUT' && String(c.args.text).includes('turned the rollout flag *on* in production'),
    );
    const audit = await w.b.app.store.audit.latest({ limit: 30 });
    expect(audit.find((r) => r.command === 'flag on' && r.action === 'execute')).toMatchObject({
      actorId: USERS.ana,
      result: 'ok',
      correlationId: `schedule-${rec!.id}`,
    });
    expect(audit.find((r) => r.command === 'schedule' && r.action === 'run')).toMatchObject({
      actorId: USERS.ana,
      result: 'ok',
      detail: expect.stringContaining(`schedule ${rec!.id}`),
    });
    // Flag history records it as the requester's change.
    const [history] = await w.b.app.store.releases.list('capecraft', 1);
    expect(history).toMatchObject({ source: 'flag', actor: USERS.ana, flagValue: 'true' });
    // Swept again (another timer, another instance): nothing runs twice.
    await w.sweep();
    expect(w.patches('capecraft')).toBe(1);
  });

  it('a lock held now does not refuse asking approval for a change at a later time', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ben, 'lock production deploy window until 10:00');
    const asked = await w.type(USERS.ana, 'flag on production at 2026-12-07 12:00');
    expect(asked.text).toContain('Asked the channel for approval');
    expect((await w.type(USERS.ana, 'flag on production')).text).toContain('Not asking for approval');
  });

  it('`in 2h` on staging needs no approval; --dry-run shows when and stores nothing', async () => {
    w = await scheduleWorld();
    const dry = await w.type(USERS.ana, 'flag on staging in 1h30m --dry-run');
    expect(dry.text).toContain('2026-12-07 10:30 UTC');
    expect(await w.b.app.store.schedules.open()).toEqual([]);
    expect(await w.b.app.store.approvals.listUnfinished()).toEqual([]);
    const done = await w.type(USERS.ana, 'flag on staging in 2h');
    expect(done.text).toContain('Scheduled `');
    expect(done.text).toContain('at 2026-12-07 11:00 UTC');
    const [rec] = await w.b.app.store.schedules.open();
    expect(rec?.runAt).toBe(T0 + 120 * MIN);
    w.clock.advance(120 * MIN);
    await w.sweep();
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
  });

  it('refuses a time in the past, an unreadable time and an ambiguous one, and stores nothing', async () => {
    w = await scheduleWorld();
    expect((await w.type(USERS.ana, 'flag on staging at 2026-12-07 08:59')).text).toContain('is in the past');
    expect((await w.type(USERS.ana, 'flag on staging at tomorrow')).text).toContain('I cannot read "at tomorrow"');
    expect((await w.type(USERS.ana, 'flag on staging at 09:30')).text).toContain('ambiguous');
    expect((await w.type(USERS.ana, 'flag on staging in 2 hours')).text).toContain('as a duration');
    expect((await w.type(USERS.ana, 'flag on staging at 2026-02-30 10:00')).text).toContain('not a date');
    expect(await w.b.app.store.schedules.open()).toEqual([]);
    expect(w.patches('autorisen')).toBe(0);
    // The kill switch now is exactly as before.
    expect((await w.type(USERS.ana, 'flag off staging extra')).text).toContain('Unexpected "extra"');
  });

  it('a lock at run time skips it and says why, in its thread, to the requester and the channel', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging in 30m');
    await w.type(USERS.ben, 'lock staging demo until noon');
    w.clock.advance(30 * MIN);
    await w.sweep();
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
    expect(w.thread('Skipped:')[0]?.args.text).toContain('demo until noon');
    expect(w.posts(USERS.ana, 'did not run')).toHaveLength(1);
    expect(w.posts('CROLLOUT', 'did not run')).toHaveLength(1);
    const [done] = await w.b.app.store.schedules.finished(0, 5);
    expect(done).toMatchObject({ state: 'skipped', outcome: expect.stringContaining('locked') });
  });

  it('cancel: by the requester or an operator, not by a viewer; nothing runs', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging in 30m');
    const [rec] = await w.b.app.store.schedules.open();
    expect((await w.type(USERS.vic, `schedule cancel ${rec!.id}`)).text).toContain('Only <@');
    expect((await w.type(USERS.ben, `schedule cancel ${rec!.id.toLowerCase()}`)).text).toContain('Cancelled');
    expect((await w.type(USERS.ana, `schedule cancel ${rec!.id}`)).text).toContain('no longer waiting');
    w.clock.advance(30 * MIN);
    await w.sweep();
    expect(w.patches('autorisen')).toBe(0);
    expect((await w.type(USERS.vic, 'schedule list')).text).toContain('Nothing is scheduled');
  });

  it('a scheduled flag off ends a test window, and is never blocked by a lock', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging');
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
    await w.type(USERS.ana, 'flag off staging in 1h --reason "end of the test window"');
    await w.type(USERS.ben, 'lock staging investigating');
    w.clock.advance(60 * MIN);
    await w.sweep();
    expect(w.b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
    expect(w.thread('Ran on time')).toHaveLength(1);
  });

  it('Home shows what is scheduled, when, by whom and its approval state; it goes once it ran', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging in 30m');
    const [rec] = await w.b.app.store.schedules.open();
    const opened = await w.b.driver.event({
      ...fixture('events_api_reaction_added.json'),
      event: { ...fixture('app_home_opened_event.json'), user: USERS.vic },
      event_id: 'Ev0SCHED01',
    });
    expect(opened.status).toBe(200);
    const line = `:calendar: Scheduled \`${rec!.id}\`: flag on at <!date^${(rec!.runAt / 1000).toFixed(0)}`;
    const home = (c: { method: string; args: Record<string, unknown> }) =>
      c.method === 'views.publish' && c.args.user_id === USERS.vic ? JSON.stringify(c.args.view) : '';
    const [shown] = await w.b.slack.waitForCalls((c) => home(c).includes(line));
    expect(home(shown!)).toContain(`by <@${USERS.ana}> · no approval needed`);
    const homes = () => w!.b.slack.calls.filter((c) => home(c) !== '');
    const before = homes().length;
    w.clock.advance(30 * MIN);
    await w.sweep();
    // Home is published again for its recent viewer, without the line.
    await w.b.slack.waitForCalls((c) => homes().indexOf(c) >= before && !home(c).includes(line));
  });

  it('reads and writes times in the configured zone; Berlin 11:00 in December is 10:00 UTC', async () => {
    w = await scheduleWorld({}, 'schedule: { timezone: Europe/Berlin, late_grace_minutes: 5 }\n');
    const done = await w.type(USERS.ana, 'flag on staging at 2026-12-07 11:00');
    expect(done.text).toContain('at 2026-12-07 11:00 Europe/Berlin');
    const [rec] = await w.b.app.store.schedules.open();
    expect(rec?.runAt).toBe(Date.UTC(2026, 11, 7, 10, 0));
    expect((await w.type(USERS.ana, 'flag on staging at 2026-12-07 09:30')).text).toContain(
      'is in the past (it is 2026-12-07 10:00 Europe/Berlin now)',
    );
    expect((await w.type(USERS.vic, 'schedule')).text).toContain('(times in Europe/Berlin)');
  });

  it('a staging schedule made without approval is skipped if the config asks for approval by its time', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging in 10m');
    w.clock.advance(5 * MIN);
    const again = await w.another({
      configYaml: defaultConfigYaml({ staging: w.specs.staging.url }).replace(
        'verify_seconds: 5\n    deploy_channel: CDEPLOYSTG',
        'verify_seconds: 5\n    deploy_channel: CDEPLOYSTG\n    requires_approval: true',
      ),
    });
    w.clock.advance(5 * MIN);
    await w.sweep(again);
    expect(w.patches('autorisen')).toBe(0);
    expect(w.thread('needs approval now')).toHaveLength(1);
  });

  it('N-of-M: two distinct approvers approve it ahead; both are named on the schedule', async () => {
    w = await scheduleWorld({}, (c) =>
      c.replace(
        'approvals:\n  ttl_minutes: 30',
        'approvals:\n  ttl_minutes: 30\n  rules: { production: { flag_on: 2 } }',
      ),
    );
    await w.type(USERS.ana, 'flag on production in 3h --reason "launch"');
    const [approve] = await w.approvalButtons();
    await w.press(USERS.ben, approve!.action_id, approve!.value);
    await w.press(USERS.ben, approve!.action_id, approve!.value);
    expect(await w.b.app.store.schedules.open()).toEqual([]);
    await w.press(USERS.cy, approve!.action_id, approve!.value);
    await until(async () => (await w!.b.app.store.schedules.open()).length === 1, 'the schedule');
    const [rec] = await w.b.app.store.schedules.open();
    expect(rec?.approvedBy).toEqual([USERS.ben, USERS.cy]);
    expect(rec?.runAt).toBe(T0 + 3 * 60 * MIN);
    expect((await w.type(USERS.vic, 'schedule')).text).toContain(
      `approved ahead by <@${USERS.ben}> and <@${USERS.cy}>`,
    );
  });

  it('an approval that comes after its time stores nothing and says so', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on production in 10m');
    const [approve] = await w.approvalButtons();
    w.clock.advance(11 * MIN);
    await w.press(USERS.ben, approve!.action_id, approve!.value);
    await until(
      async () => (await w!.b.app.store.approvals.get(approve!.value))?.state === 'failed',
      'the approval to fail',
    );
    expect(await w.b.app.store.schedules.open()).toEqual([]);
    expect((await w.b.app.store.approvals.get(approve!.value))?.outcome).toContain('passed before it was approved');
  });

  it('an active guard on the environment at run time skips it, saying what the guard watches', async () => {
    w = await scheduleWorld();
    await w.type(USERS.ana, 'flag on staging in 20m');
    await w.b.app.store.guards.create({
      id: 'g1',
      env: 'staging',
      kind: 'deploy',
      changeKey: 'deploy:run-1',
      label: 'the deploy of 1a2b3c4 (v43)',
      action: 'notify',
      state: 'watching',
      startedAt: w.clock.now(),
      endsAt: w.clock.now() + 60 * MIN,
      baseline: { counts: { ...emptyCounts(60), requests: 1000 }, p95Ms: 200, p99Ms: 400, dispersion: {} },
      thread: null,
      releaseVersion: 43,
      verdict: null,
      note: null,
      lastLookAt: null,
      endedAt: null,
      endedBy: null,
    });
    w.clock.advance(20 * MIN);
    await w.sweep();
    expect(w.patches('autorisen')).toBe(0);
    expect(w.thread('Skipped:')[0]?.args.text).toContain('a guard is watching the deploy of 1a2b3c4 (v43) in staging');
  });
});
