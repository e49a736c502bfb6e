import { afterEach, describe, expect, it } from 'vitest';
import { APPROVE_ACTION } from '../../src/services/approvals/message.ts';
import { bootApp, USERS, type BootedApp, type BootOptions } from '../drivers/boot-app.ts';
import { freshAppSchema } from '../support/test-databases.ts';

/**
 * Issue 9 §1, reproduced over signed HTTP: `flag on production` is approved, the process dies while
 * Heroku holds the PATCH open, and the bot starts again on the same database. The dead process is
 * modelled by an app whose PATCH never returns (the fake Heroku hangs it), so it never writes again;
 * the restarted app is a second app on the same database and fakes.
 */

interface Engine {
  name: string;
  /** Boot options that put the app on this engine, and a cleanup. */
  setup(): Promise<{ opts: BootOptions; cleanup(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  { name: 'sqlite', setup: async () => ({ opts: {}, cleanup: async () => undefined }) },
  {
    name: 'postgres',
    async setup() {
      const db = await freshAppSchema('flag_crash');
      return { opts: { databaseUrl: db.url }, cleanup: db.drop };
    },
  },
];

const textOf = (v: unknown): string => String((v as { text?: unknown })?.text ?? '');

describe.each(ENGINES)('a flag change interrupted by a crash, on $name', (engine) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  });

  /** Boot, request `flag on production`, approve it, and "crash" once the PATCH is in flight. */
  async function crashMidPatch(): Promise<{ dead: BootedApp; opts: BootOptions }> {
    const db = await engine.setup();
    cleanups.push(db.cleanup);
    const dead = await bootApp(db.opts);
    cleanups.push(async () => {
      // Let the hung PATCH go so the "dead" app's shutdown does not wait out its grace period.
      dead.heroku.clearFaults();
      await dead.stop();
    });
    dead.heroku.fail({ method: 'PATCH', path: '/apps/capecraft/config-vars', hang: true });
    const req = await dead.driver.command('flag on production --reason "launch"', {
      userId: USERS.ana,
      channelId: 'CROLLOUT',
    });
    expect(req.status).toBe(200);
    const [post] = await dead.slack.waitForCalls(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.args.blocks ?? '').includes(APPROVE_ACTION),
    );
    const id = JSON.stringify(post!.args.blocks).match(/"value":"([^"]+)"/)![1]!;
    await dead.driver.click({ actionId: APPROVE_ACTION, value: id, userId: USERS.ben, channelId: 'CROLLOUT' });
    await dead.slack.waitForCalls((c) => c.method === 'chat.update' && /Running now/.test(textOf(c.args)));
    // The PATCH reached Heroku and hangs: the process "dies" here.
    for (let i = 0; i < 200 && dead.heroku.requestsTo('PATCH', '/apps/capecraft/config-vars').length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(dead.heroku.requestsTo('PATCH', '/apps/capecraft/config-vars')).toHaveLength(1);
    return {
      dead,
      opts: { ...db.opts, slack: dead.slack, heroku: dead.heroku, github: dead.github, sqlitePath: dead.sqlitePath },
    };
  }

  async function restart(opts: BootOptions): Promise<BootedApp> {
    const b = await bootApp(opts);
    cleanups.push(() => b.stop());
    return b;
  }

  async function settledUpdate(b: BootedApp, pattern: RegExp): Promise<string> {
    const [u] = await b.slack.waitForCalls((c) => c.method === 'chat.update' && pattern.test(textOf(c.args)));
    return textOf(u!.args);
  }

  it('the PATCH never landed: the message says "not applied", audited; kill switch and flag on are free', async () => {
    const { opts } = await crashMidPatch();
    const b = await restart(opts);
    expect(await settledUpdate(b, /Not applied \(interrupted by a restart\)/)).toMatch(/still "false"/);
    const rows = await b.app.store.audit.latest({ limit: 20 });
    expect(rows.find((r) => r.action === 'settle' && r.command === 'flag on')).toMatchObject({
      result: 'not_applied',
      env: 'production',
    });
    // Neither the kill switch nor a new `flag on` waits for the dead process's lock.
    const on = await b.driver.command('flag on staging', { userId: USERS.ana, channelId: 'CROLLOUT' });
    const [reply] = await b.slack.waitForResponses(1, on.responseId);
    expect(textOf(reply!.body)).toMatch(/turned the rollout flag \*on\* in staging/);
    const prod = await b.driver.command('flag on production', { userId: USERS.ana, channelId: 'CROLLOUT' });
    const [asked] = await b.slack.waitForResponses(1, prod.responseId);
    expect(textOf(asked!.body)).toMatch(/Asked the channel for approval/);
  });

  it('the PATCH landed before the crash: the message says "done (confirmed after restart)"', async () => {
    const { opts, dead } = await crashMidPatch();
    dead.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' }, 'autorisen-bot@example.com');
    const b = await restart(opts);
    expect(await settledUpdate(b, /Done \(confirmed after restart\)/)).toMatch(/"true" \(on\)/);
    const approvals = await b.app.store.audit.latest({ limit: 20 });
    expect(approvals.find((r) => r.action === 'settle')).toMatchObject({ result: 'ok', command: 'flag on' });
  });
});
