import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIRM_BLOCK, CONFIRM_INPUT } from '../../src/core/break-glass.ts';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import { TestClock } from '../support/test-clock.ts';
import { until } from './deploy-harness.ts';
import { acknowledge, answerText, ask, posts, reviewButton, submit } from './break-glass-harness.ts';

/** Break-glass (issue 23 §2) on `flag on production`, end to end over signed Slack HTTP. */
let b: BootedApp;
let clock: TestClock;
beforeEach(async () => {
  clock = new TestClock();
  b = await bootApp({ clock, appOptions: { breakGlassSweepMs: 0 } });
});
afterEach(async () => b?.stop());

const flagOf = (app = 'capecraft') => b.heroku.app(app).configVars.FEATURE_AUTORISEN;
const LINE = 'flag on production --break-glass --reason "checkout is down"';
const audits = async () => b.app.store.audit.latest({ limit: 50 });

describe('break-glass on flag on production', () => {
  it('an admin runs it without approval after typing the name: emergency notice, audit, review; no approval asked', async () => {
    const { res, viewId } = await ask(b, LINE);
    expect(res.json).toBeNull();
    const [open] = b.slack.callsTo('views.open');
    expect(open!.error).toBeNull();
    const view = open!.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.callback_id).toBe('autorisen:break-glass');
    expect(JSON.stringify(view.blocks)).toMatch(/Type the environment's name to confirm/);
    expect(flagOf()).toBe('false');

    expect(await submit(b, viewId!, 'production')).toBeNull();
    await until(() => flagOf() === 'true', 'the flag on in production');
    const [notice] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && /Break-glass\* by/.test(String(c.args.text)),
    );
    expect(notice!.args.channel).toBe('CROLLOUT');
    expect(String(notice!.args.text)).toMatch(/:rotating_light:.*checkout is down/);
    const [review] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && /review needed/.test(String(c.args.text)),
    );
    expect(reviewButton(review!)).toBeTruthy();
    expect(posts(b, /./).some((c) => JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION))).toBe(false);
    const rows = await audits();
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'break_glass', result: 'confirmed', detail: 'reason: checkout is down' }),
        expect.objectContaining({ command: 'flag on', action: 'execute', result: 'ok', env: 'production' }),
      ]),
    );
  });

  it('a wrong name is an error under the input and runs nothing; the right one then runs it', async () => {
    const { viewId } = await ask(b, LINE);
    const wrong = (await submit(b, viewId!, 'prod')) as { response_action: string; errors: Record<string, string> };
    expect(wrong.response_action).toBe('errors');
    expect(wrong.errors[CONFIRM_BLOCK]).toMatch(/not the environment's name.*production/);
    expect(flagOf()).toBe('false');
    expect(await submit(b, viewId!, ' production ')).toBeNull();
    await until(() => flagOf() === 'true', 'the flag on after the right name');
  });

  it("someone else's submission, or a forged private_metadata, runs nothing", async () => {
    const { viewId } = await ask(b, LINE);
    const other = (await submit(b, viewId!, 'production', USERS.ben)) as { errors: Record<string, string> };
    expect(other.errors[CONFIRM_BLOCK]).toMatch(/not one of yours/);
    const payload = b.slack.views.submission(viewId!, { [CONFIRM_BLOCK]: { [CONFIRM_INPUT]: 'production' } });
    const view = { ...(payload.view as Record<string, unknown>), private_metadata: 'forgedButWellFormed0000' };
    const forged = await b.driver.interaction({ ...payload, view });
    expect((forged.json as { errors: Record<string, string> }).errors[CONFIRM_BLOCK]).toMatch(/not one of yours/);
    expect(flagOf()).toBe('false');
  });

  it('a confirmation submitted after 10 minutes has expired: it says so and runs nothing', async () => {
    const { viewId } = await ask(b, LINE);
    clock.advance(10 * 60_000);
    const late = (await submit(b, viewId!, 'production')) as { errors: Record<string, string> };
    expect(late.errors[CONFIRM_BLOCK]).toMatch(/expired\. Nothing was run; run the command again/);
    expect(flagOf()).toBe('false');
  });

  it('refuses an operator, staging, and a missing reason, with reasons, audited; no modal opens', async () => {
    const op = await ask(b, LINE, USERS.ana);
    expect(await answerText(b, op.res)).toMatch(/for admins only; you are an operator/);
    const stg = await ask(b, 'flag on staging --break-glass --reason "x"');
    expect(await answerText(b, stg.res)).toMatch(/staging needs no second person; drop `--break-glass`/);
    const none = await ask(b, 'flag on production --break-glass');
    expect(await answerText(b, none.res)).toMatch(/needs a reason/);
    const reasonAlone = await ask(b, 'deploy production --reason "x"');
    expect(await answerText(b, reasonAlone.res)).toMatch(/`--reason` goes with `--break-glass`/);
    expect(b.slack.callsTo('views.open')).toHaveLength(0);
    expect((await audits()).filter((r) => r.action === 'break_glass' && r.result === 'denied')).toHaveLength(3);
    expect(flagOf()).toBe('false');
  });

  it('a dry run shows the plan and what break-glass would skip, and asks nothing', async () => {
    const { res } = await ask(b, `${LINE} --dry-run`);
    // A dry run's plan is answered in the ack when it is ready in time (else on response_url); the note follows.
    const acked = (res.json as { text?: unknown } | null)?.text;
    const replies = await b.slack.waitForResponses(typeof acked === 'string' ? 1 : 2, res.responseId);
    const text = [acked, ...replies.map((r) => r.body.text)].filter((t) => typeof t === 'string').join('\n');
    expect(text).toMatch(/Dry run/i);
    expect(text).toMatch(/would skip only the second person's approval in production/);
    expect(text).toMatch(/still takes the backup, still refuses while production is locked/);
    expect(b.slack.callsTo('views.open')).toHaveLength(0);
    expect(flagOf()).toBe('false');
  });

  it('a locked production still refuses it; the kill switch still goes past the lock', async () => {
    const lock = await b.driver.command('lock production "db maintenance"', {
      userId: USERS.ben,
      channelId: 'CROLLOUT',
    });
    expect(await answerText(b, lock)).toMatch(/locked/i);
    const { res, viewId } = await ask(b, LINE);
    expect(viewId).toBeNull();
    expect(await answerText(b, res)).toMatch(/locked by .*db maintenance.*Break-glass does not skip a lock/);
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    const off = await b.driver.command('flag off production --reason "5xx"', {
      userId: USERS.cy,
      channelId: 'CROLLOUT',
    });
    expect(await answerText(b, off)).toMatch(/turned the rollout flag \*off\* in production/);
  });

  it('a submission the bot cannot check (the database is gone) keeps the modal open and says nothing ran', async () => {
    const { viewId } = await ask(b, LINE);
    await b.app.store.close();
    const answer = (await submit(b, viewId!, 'production')) as { errors: Record<string, string> };
    expect(answer.errors[CONFIRM_BLOCK]).toMatch(/Could not check this confirmation .*Nothing was run; submit again/);
    expect(flagOf()).toBe('false');
  });

  it('a modal Slack will not open (an expired trigger_id) says so and leaves nothing to run', async () => {
    b.slack.failNext('views.open', 'expired_trigger_id');
    const res = await b.driver.command(LINE, { userId: USERS.ada, channelId: 'CROLLOUT' });
    const [reply] = await b.slack.waitForResponses(1, res.responseId);
    expect(String(reply!.body.text)).toMatch(/Could not ask you to confirm .*Nothing was run; try again/);
    expect(flagOf()).toBe('false');
  });

  it('a double submit (or a Slack retry, or a second instance) runs it once', async () => {
    const { viewId } = await ask(b, LINE);
    const before = b.heroku.app('capecraft').releases.length;
    const answers = await Promise.all([submit(b, viewId!, 'production'), submit(b, viewId!, 'production')]);
    expect(answers).toEqual([null, null]);
    await until(() => flagOf() === 'true', 'the flag on');
    await until(async () => (await b.app.store.breakGlass.openReviews()).length === 1, 'the review open');
    expect(b.heroku.app('capecraft').releases.length).toBe(before + 1);
    expect((await audits()).filter((r) => r.action === 'execute')).toHaveLength(1);
  });
});

describe('N-of-M approvals', () => {
  it('break-glass skips a two-approver rule too, and only that', async () => {
    await b.stop();
    const yaml = defaultConfigYaml().replace(
      '  ttl_minutes: 30',
      '  ttl_minutes: 30\n  rules: { production: { flag_on: 2 } }',
    );
    b = await bootApp({ clock, configYaml: yaml, appOptions: { breakGlassSweepMs: 0 } });
    const { viewId } = await ask(b, LINE);
    await submit(b, viewId!, 'production');
    await until(() => flagOf() === 'true', 'the flag on without the two approvers');
    expect(await b.app.store.approvals.listPending(clock.now(), 10)).toEqual([]);
  });
});

describe('two instances', () => {
  it('the same submission reaching both runs the change once', async () => {
    const other = await bootApp({
      clock,
      slack: b.slack,
      heroku: b.heroku,
      github: b.github,
      sqlitePath: b.sqlitePath,
    });
    try {
      const { viewId } = await ask(b, LINE);
      const payload = b.slack.views.submission(viewId!, { [CONFIRM_BLOCK]: { [CONFIRM_INPUT]: 'production' } });
      const before = b.heroku.app('capecraft').releases.length;
      const answers = await Promise.all([b.driver.interaction(payload), other.driver.interaction(payload)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      await until(async () => (await b.app.store.breakGlass.openReviews()).length === 1, 'the review open');
      expect(b.heroku.app('capecraft').releases.length).toBe(before + 1);
      expect((await audits()).filter((r) => r.action === 'execute')).toHaveLength(1);
    } finally {
      await other.stop();
    }
  });
});

describe('the review afterwards', () => {
  async function runIt(): Promise<string> {
    const { viewId } = await ask(b, LINE);
    await submit(b, viewId!, 'production');
    const [review] = await b.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && /review needed/.test(String(c.args.text)),
    );
    return reviewButton(review!);
  }
  const reminders = () => posts(b, /Reminder: the break-glass/);

  it('reminds once per interval until another operator acknowledges; the actor cannot', async () => {
    const id = await runIt();
    expect(await b.app.breakGlass.sweep()).toBe(0);
    clock.advance(60 * 60_000);
    expect(await b.app.breakGlass.sweep()).toBe(1);
    expect(await b.app.breakGlass.sweep()).toBe(0);
    expect(reminders()).toHaveLength(1);
    expect(await acknowledge(b, id, USERS.ada)).toMatch(
      /You ran this break-glass change, so you cannot review it yourself/,
    );
    expect(await acknowledge(b, id, USERS.vic)).toMatch(/needs the operator role/);
    clock.advance(60 * 60_000);
    expect(await b.app.breakGlass.sweep()).toBe(1);
    expect(await acknowledge(b, id, USERS.ben)).toMatch(/You acknowledged/);
    await b.slack.waitForCalls(
      (c) => c.method === 'chat.update' && /was reviewed by <@UBEN0002>/.test(String(c.args.text)),
    );
    clock.advance(3 * 60 * 60_000);
    expect(await b.app.breakGlass.sweep()).toBe(0);
    expect(await acknowledge(b, id, USERS.cy)).toMatch(/acknowledged already/);
    const rows = await audits();
    expect(rows.filter((r) => r.action === 'break_glass_review' && r.result === 'ok')).toHaveLength(1);
    expect(rows.filter((r) => r.command === 'break-glass review' && r.result === 'denied')).toHaveLength(2);
  });

  it('a restart keeps the review pending, and its reminders', async () => {
    await runIt();
    b = await b.restart();
    clock.advance(61 * 60_000);
    expect(await b.app.breakGlass.sweep()).toBe(1);
    expect(await b.app.store.breakGlass.openReviews()).toHaveLength(1);
  });
});
