import { afterEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { BOT_TOKEN, bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { freshAppSchema, TEST_DATABASE_URL } from '../support/test-databases.ts';

/**
 * N-of-M approvals over signed Slack HTTP (issue 23 §5): `flag on production` needs two distinct
 * members of the on-call group besides the requester; the message says who approved and how many
 * are still needed; a restart or a second instance between the clicks changes nothing.
 */
const ONCALL = 'S0ONCALL1';
const yaml = defaultConfigYaml().replace(
  'approvals:\n  ttl_minutes: 30',
  `approvals:\n  ttl_minutes: 30\n  rules: { production: { flag_on: 2, release: 2, approver_groups: [${ONCALL}] } }`,
);
// Ben, Cy and Vic (a viewer) are on call; Ada is an admin but not on call.
const oncall = { id: ONCALL, handle: 'oncall', name: 'On call', users: [USERS.ben, USERS.cy, USERS.vic] };

const apps: BootedApp[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const a of apps.splice(0).reverse()) await a.stop();
  for (const c of cleanups.splice(0)) await c();
});

async function boot(opts: Parameters<typeof bootApp>[0] = {}): Promise<BootedApp> {
  const slack = opts.slack ?? (await FakeSlackApi.start({ token: BOT_TOKEN, usergroups: [oncall] }));
  if (!opts.slack) cleanups.push(() => slack.close());
  const b = await bootApp({ configYaml: yaml, ...opts, slack });
  apps.push(b);
  return b;
}

async function ask(b: BootedApp): Promise<string> {
  const res = await b.driver.command('flag on production --reason "launch"', {
    userId: USERS.ana,
    channelId: 'CROLLOUT',
  });
  expect(res.status).toBe(200);
  const [reply] = await b.slack.waitForResponses(1, res.responseId);
  expect(String(reply!.body.text)).toMatch(/2 other operators have 30 min to approve it/);
  const [post] = await b.slack.waitForCalls(
    (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION),
  );
  expect(JSON.stringify(post!.args.blocks)).toContain(`needs 2 distinct operators in <!subteam^${ONCALL}>`);
  return approveValue(post!);
}

function approveValue(call: SlackCall): string {
  const blocks = (call.args.blocks ?? []) as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>;
  const button = blocks.flatMap((x) => x.elements ?? []).find((e) => e.action_id === APPROVE_ACTION);
  if (!button?.value) throw new Error('no Approve button in the posted message');
  return button.value;
}

/** Click Approve; `reply: false` for the click that runs the change (it answers in the message, not to the clicker). */
async function click(b: BootedApp, userId: string, value: string, reply = true): Promise<string> {
  const res = await b.driver.click({ actionId: APPROVE_ACTION, value, userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  if (!reply) return '';
  const replies = await b.slack.waitForResponses(1, res.responseId).catch(() => []);
  return replies.map((r) => String(r.body.text)).join('\n');
}

const flagOf = (b: BootedApp) => b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN;
const lastUpdate = (b: BootedApp) => b.slack.callsTo('chat.update').at(-1);

describe('N-of-M approvals over signed HTTP', () => {
  it('needs two distinct on-call approvers; the requester, outsiders and repeats never count', async () => {
    const b = await boot();
    const id = await ask(b);
    expect(await click(b, USERS.ana, id)).toMatch(/someone else has to approve/);
    expect(await click(b, USERS.ada, id)).toMatch(
      new RegExp(`needs a member of <!subteam\\^${ONCALL}>; you are not in it`),
    );
    expect(await click(b, USERS.vic, id)).toMatch(/you are a viewer/);
    expect(await click(b, USERS.ben, id)).toMatch(/your approval is counted; 1 more approval needed before it runs/);
    expect(flagOf(b)).toBe('false');
    const shown = JSON.stringify(lastUpdate(b)?.args.blocks);
    expect(shown).toContain(`*Approved so far:* <@${USERS.ben}> · 1 more approval needed (of 2)`);
    expect(shown).toContain(APPROVE_ACTION);
    expect(await click(b, USERS.ben, id)).toMatch(/already approved this request; 1 more approval needed/);
    expect(flagOf(b)).toBe('false');
    await click(b, USERS.cy, id, false);
    await b.slack.waitForCalls((c) => c.method === 'chat.update' && /done/.test(String(c.args.text)));
    expect(flagOf(b)).toBe('true');
    expect(String(lastUpdate(b)?.args.text)).toMatch(new RegExp(`done by <@${USERS.ben}> and <@${USERS.cy}>`));
    const rows = await b.app.store.audit.latest({ limit: 30 });
    const approvals = rows.filter((r) => r.action === 'approve').map((r) => `${r.actorId} ${r.result}`);
    expect(approvals.sort()).toEqual([`${USERS.ben} counted`, `${USERS.cy} approved`]);
    expect(
      rows
        .filter((r) => r.action === 'deny')
        .map((r) => r.actorId)
        .sort(),
    ).toEqual([USERS.ada, USERS.ana, USERS.vic].sort());
  });

  it('a restart between the first and the second approval keeps the first', async () => {
    const b = await boot();
    const id = await ask(b);
    await click(b, USERS.ben, id);
    apps.pop();
    const restarted = await b.restart();
    apps.push(restarted);
    expect(flagOf(restarted)).toBe('false');
    await click(restarted, USERS.cy, id, false);
    await restarted.slack.waitForCalls((c) => c.method === 'chat.update' && /done/.test(String(c.args.text)));
    expect(flagOf(restarted)).toBe('true');
  });
});

describe.skipIf(!TEST_DATABASE_URL)('N-of-M approvals on two instances (PostgreSQL)', () => {
  it('two approvers clicking at once on two apps: counted both, changed once', async () => {
    const db = await freshAppSchema('approvals_nofm');
    cleanups.push(() => db.drop());
    const a = await boot({ databaseUrl: db.url });
    const b = await boot({ databaseUrl: db.url, slack: a.slack, heroku: a.heroku, github: a.github });
    const id = await ask(a);
    const releasesBefore = a.heroku.app('capecraft').releases.length;
    await Promise.all([click(a, USERS.ben, id, false), click(b, USERS.cy, id, false)]);
    await a.slack.waitForCalls((c) => c.method === 'chat.update' && /done/.test(String(c.args.text)));
    expect(flagOf(a)).toBe('true');
    expect(a.heroku.app('capecraft').releases.length).toBe(releasesBefore + 1);
    const rows = await a.app.store.audit.latest({ limit: 40 });
    expect(rows.filter((r) => r.action === 'approve' && r.result === 'approved')).toHaveLength(1);
    expect(rows.filter((r) => r.action === 'approve' && r.result === 'counted')).toHaveLength(1);
    expect(rows.filter((r) => r.command === 'flag on' && r.action === 'execute' && r.result === 'ok')).toHaveLength(1);
  });
});
