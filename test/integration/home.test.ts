import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import type { FakeSlackSocket } from '../fakes/fake-slack-socket.ts';
import { testAlert } from './alert-harness.ts';
import { deployRun } from '../support/deploy-run.ts';
import { addRelease, addSlug } from '../fakes/fake-heroku-model.ts';
import { emptyMinute } from '../../src/services/drain/aggregate.ts';
import { mergeMinutes } from '../../src/services/drain/histogram.ts';

/**
 * The Home tab end to end: the real app in Socket Mode, app_home_opened from the fake Socket Mode
 * server, views.publish on the fake Web API, commands and clicks over the socket.
 */
let b: BootedApp;
let socket: FakeSlackSocket;
beforeEach(async () => {
  b = await bootApp({ socketMode: true });
  socket = b.socket!;
});
afterEach(async () => b?.stop());

let seq = 0;
async function say(userId: string, text: string): Promise<string> {
  const id = `home-${++seq}`;
  const ack = await socket.slashCommand(text, { userId, channelId: 'CROLLOUT', responseUrl: b.slack.responseUrl(id) });
  const inAck = (ack.payload as { text?: string } | undefined)?.text;
  if (inAck) return inAck;
  const [reply] = await b.slack.waitForResponses(1, id);
  return String(reply!.body.text);
}

const viewOf = (c: SlackCall) => JSON.stringify(c.args.view);
/** The next views.publish to `userId` whose view contains `text` (a refresh shows the new state). */
function published(userId: string, text: string | RegExp): Promise<string> {
  const match = (c: SlackCall) =>
    c.method === 'views.publish' &&
    c.args.user_id === userId &&
    (typeof text === 'string' ? viewOf(c).includes(text) : text.test(viewOf(c)));
  return b.slack.waitForCalls(match).then((calls) => viewOf(calls.at(-1)!));
}

async function open(userId: string): Promise<string> {
  await socket.homeOpened(userId);
  return published(userId, 'autorisen rollout');
}

async function pendingFlagOn(): Promise<string> {
  expect(await say(USERS.ana, 'flag on production --reason "launch"')).toMatch(/approval/i);
  const [id] = (await b.app.store.approvals.listPending(Date.now(), 10)).map((a) => a.id);
  return id!;
}

describe('App Home', () => {
  it('shows every environment: flag and who changed it, release and commit, lock, open alerts, sparkline', async () => {
    expect(await say(USERS.ana, 'flag on staging --reason "try"')).toMatch(/turned the rollout flag \*on\*/);
    const home = await open(USERS.vic);
    expect(home).toMatch(/\*staging\* \(autorisen\)/);
    expect(home).toMatch(/\*production\* \(capecraft\) · production/);
    expect(home).toContain(`"true\\" (on) by <@${USERS.ana}>`);
    // The flag flip made staging's v3, a config change: it runs what the deploy before it built.
    expect(home).toMatch(/v3 · `1111111`, \d+ \w+ ago · not verified by the bot/);
    expect(home).toContain('*Lock*\\nnone');
    expect(home).toContain('No open alerts.');
    expect(home).toMatch(/Alert activity `▁+` last 1 h/);
  });

  it('shows the commit a promotion brought, read from the promoted slug, also after a config change (issue 19)', async () => {
    const promoted = '2222222d4e6f8a0b1c3d5e7f9a1b3c5d7e9f1a3b';
    const staging = b.heroku.app('autorisen');
    const built = addRelease(
      staging,
      `Deploy ${promoted.slice(0, 7)}`,
      'ana@example.com',
      addSlug(staging, promoted, null),
    );
    addRelease(b.heroku.app('capecraft'), 'Promote autorisen v3', 'ana@example.com', built.slugId);
    b.heroku.changeConfigVars('capecraft', { SENTRY_ENV: 'production' });
    const home = await open(USERS.vic);
    expect(home).toMatch(/\*production\* \(capecraft\)[\s\S]*v4 · `2222222`/);
    expect(b.heroku.requestsTo('GET', `/apps/capecraft/slugs/${built.slugId}`)).toHaveLength(1);
  });

  it('is filtered by role: Approve/Reject only for who may decide, the kill switch for operators, audit for admins', async () => {
    b.heroku.changeConfigVars('autorisen', { FEATURE_AUTORISEN: 'true' });
    const id = await pendingFlagOn();
    const viewer = await open(USERS.vic);
    const requester = await open(USERS.ana);
    const operator = await open(USERS.ben);
    const admin = await open(USERS.ada);

    expect(viewer).toContain('Turn the rollout flag on in production');
    expect(viewer).not.toContain(APPROVE_ACTION);
    expect(viewer).not.toContain('autorisen:run');
    expect(viewer).toContain('you are a viewer (read-only');
    expect(viewer).not.toContain('Recent activity');

    expect(requester).not.toContain(APPROVE_ACTION);
    expect(requester).toContain('someone else has to approve');
    expect(requester).toContain('Turn flag off in staging');

    expect(operator).toContain(`"action_id":"${APPROVE_ACTION}"`);
    expect(operator).toContain(`"value":"${id}"`);
    expect(operator).toContain('Turn flag off in staging');
    expect(operator).not.toContain('Recent activity');

    expect(admin).toContain(APPROVE_ACTION);
    expect(admin).toContain('Recent activity');
  });

  it('is republished to recent viewers after a flag flip', async () => {
    expect(await open(USERS.vic)).toContain('\\"false\\" (off)');
    await say(USERS.ana, 'flag on staging --reason "try"');
    const after = await published(USERS.vic, '\\"true\\" (on)');
    expect(after).toContain(`by <@${USERS.ana}>`);
  });

  it('is republished to recent viewers after a lock', async () => {
    await open(USERS.vic);
    expect(await say(USERS.ben, 'lock production "database migration"')).toMatch(/lock/i);
    const after = await published(USERS.vic, 'database migration');
    expect(after).toContain(`:lock: <@${USERS.ben}> (manual)`);
  });

  it('is republished after an approval; an Approve click in Home takes the same compare-and-set path', async () => {
    const id = await pendingFlagOn();
    await open(USERS.vic);
    const before = await open(USERS.ben);
    expect(before).toContain(`"value":"${id}"`);
    await socket.homeClick({ actionId: APPROVE_ACTION, value: id, userId: USERS.ben });
    await b.slack.waitForCalls((c) => c.method === 'chat.update' && /done/.test(String(c.args.text)));
    expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('true');
    // Once approved, and once the flag is on in production (two changes, possibly one publish).
    await published(USERS.vic, /production.*\\"true\\" \(on\).*Pending approvals\*\\nnone/s);
    await published(USERS.ben, /Pending approvals\*\\nnone/);
    // A second click, from Home too, is refused by the same compare-and-set and says so on the clicker's Home.
    await socket.homeClick({ actionId: APPROVE_ACTION, value: id, userId: USERS.cy });
    expect(await published(USERS.cy, /already (succeeded|executing|approved)/)).toContain('your click changed nothing');
    const executed = (await b.app.store.audit.latest({ limit: 50 })).filter(
      (r) => r.command === 'flag on' && r.action === 'execute' && r.result === 'ok',
    );
    expect(executed).toHaveLength(1);
  });

  it('shows a deploy in flight, and open alerts with their last hour of activity', async () => {
    await open(USERS.vic);
    const now = Date.now();
    await b.app.store.workflows.create(
      deployRun({
        id: 'dep-1',
        env: 'production',
        ref: 'main',
        previousVersion: 2,
        requesterId: USERS.cy,
        state: 'running',
        at: now,
      }),
    );
    expect(await published(USERS.vic, 'step 2, running')).toContain(`deploy main: step 2, running (by <@${USERS.cy}>`);
    const delivery = { source: 'alertmanager' as const, resource: null, body: '{}', outcome: '1 alert' };
    for (let i = 0; i < 3; i++)
      await b.app.store.alerts.accept(
        { ...delivery, id: `d${i}`, dedupKey: `k${i}`, receivedAt: Date.now() },
        [{ alert: testAlert('disk-full'), channel: 'CALERTS' }],
        [],
        [],
      );
    // Three firings a moment apart: the view that has seen all three (earlier refreshes may show fewer).
    const home = await published(USERS.vic, 'peak 3 · now 3');
    expect(home).toContain('*Open alerts* (1)');
    expect(home).toContain('Disk disk-full ×3');
    expect(home).toMatch(/Alert activity `▁*█` last 1 h, 5 min per bar/);
  });

  it("draws the last hour's health from the log drain where the environment has one, else from alerts", async () => {
    const now = Date.now();
    const minute = (ago: number, requests: number, status5xx: number) => ({
      ...emptyMinute('staging', Math.floor((now - ago * 60_000) / 60_000) * 60_000),
      requests,
      status5xx,
    });
    await b.app.store.drainMetrics.record(
      [{ env: 'staging', frameId: 'f1', receivedAt: now, minutes: [minute(30, 400, 0), minute(2, 500, 12)] }],
      mergeMinutes,
    );
    const home = await open(USERS.vic);
    expect(home).toMatch(
      /5xx responses `▁*█▁?` last 1 h, 5 min per bar · peak 12 · now \d+ \(12 of 900 requests, log drain\)/,
    );
    // Production sends no drain: its alert activity stands in.
    expect(home).toMatch(/Alert activity `▁+` last 1 h/);
  });

  it("shows why a click was refused on the clicker's Home (no channel to answer in)", async () => {
    const id = await pendingFlagOn();
    await open(USERS.ana);
    await socket.homeClick({ actionId: APPROVE_ACTION, value: id, userId: USERS.ana });
    expect(await published(USERS.ana, ':no_entry:')).toContain(':no_entry: You asked for this change');
    expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');
  });
});
