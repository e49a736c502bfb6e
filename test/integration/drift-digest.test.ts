import { afterEach, describe, expect, it } from 'vitest';
import { USERS, type BootedApp } from '../drivers/boot-app.ts';
import type { SlackCall } from '../fakes/fake-slack-api.ts';
import { bootDrift, DAY, driftVendors, finishedRun, T0, TestClock } from './drift-world.ts';

type Btn = { action_id: string; value: string; text: { text: string } };
const buttonsOf = (c: SlackCall): Btn[] =>
  ((c.args.blocks ?? []) as { type: string; elements?: Btn[] }[]).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []) : [],
  );
const digests = (b: BootedApp) =>
  b.slack.callsTo('chat.postMessage').filter((c) => String(c.args.text ?? '').includes('Drift digest'));

/** The daily drift digest (issue 23 §4) over HTTP against the fakes, on the injected clock. */
describe('drift digest', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const s of stops.reverse()) await s();
    stops.length = 0;
  });
  async function boot(aligned: boolean, clock = new TestClock(T0)) {
    const v = await driftVendors(aligned);
    stops.push(async () => {
      await v.heroku.close();
      await v.github.close();
    });
    const b = await bootDrift(v, clock);
    stops.push(() => b.stop());
    return { b, v, clock };
  }

  it('posts once at its time, one line per drift with the button that fixes it, through the normal path', async () => {
    const { b, v, clock } = await boot(false);
    const lockedAt = clock.now() - 30 * 3_600_000;
    await b.app.store.locks.acquire({
      env: 'staging',
      holderId: USERS.ana,
      kind: 'manual',
      reason: 'demo <!here>',
      token: 't1',
      acquiredAt: lockedAt,
      expiresAt: null,
    });
    expect(await b.app.ops.drift!.tick()).toBe('not_yet');
    clock.advance(60 * 60_000);
    expect(await b.app.ops.drift!.tick()).toBe('posted');
    expect(await b.app.ops.drift!.tick()).toBe('done_today');
    const [post] = digests(b);
    expect(post!.args.channel).toBe('CDRIFT001');
    const text = String(post!.args.text);
    expect(text).toContain('Drift digest, 2026-12-07');
    expect(text).toContain('FEATURE_AUTORISEN is on in staging only, for 4 d');
    expect(text).toContain(`staging runs ${v.newSha.slice(0, 7)}, 1 commit(s) ahead of production`);
    expect(text).toContain(`staging has been locked by <@${USERS.ana}> (manual) for 31 h: demo &lt;!here&gt;`);
    const buttons = buttonsOf(post!);
    expect(buttons.map((x) => x.text.text)).toEqual([
      'Flag on production',
      `Release ${v.newSha.slice(0, 7)}`,
      'Unlock staging',
    ]);
    expect(buttons.every((x) => x.action_id === 'autorisen:run')).toBe(true);

    // Each button is the usual command as the clicker: role, approval and audit.
    const click = async (userId: string, button: Btn) => {
      const res = await b.driver.click({
        actionId: button.action_id,
        value: button.value,
        userId,
        channelId: 'CDRIFT001',
      });
      return String((await b.slack.waitForResponses(1, res.responseId))[0]!.body.text);
    };
    const unlock = buttons.find((x) => x.value === 'unlock staging')!;
    expect(await click(USERS.vic, unlock)).toContain('needs the operator role');
    expect(await click(USERS.ben, unlock)).toContain('unlocked staging');
    const flag = buttons.find((x) => x.text.text === 'Flag on production')!;
    expect(flag.value).toBe('flag on production --reason "drift digest: on in staging for 4 d"');
    expect(await click(USERS.ben, flag)).toContain('Asked the channel for approval');
    expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');

    // The next day, what still drifts is posted again; the lock is gone from it.
    clock.advance(DAY);
    expect(await b.app.ops.drift!.tick()).toBe('posted');
    expect(String(digests(b)[1]!.args.text)).not.toContain('locked');
  });

  it('posts nothing when nothing drifts', async () => {
    const { b, clock } = await boot(true);
    clock.advance(2 * 60 * 60_000);
    expect(await b.app.ops.drift!.tick()).toBe('nothing_drifts');
    expect(digests(b)).toEqual([]);
    const audit = await b.app.store.audit.latest({ limit: 10 });
    expect(audit.find((r) => r.command === 'drift')).toMatchObject({ action: 'digest', result: 'noop' });
  });

  it('says when a rollback left production behind, and when a faulty release was never followed up', async () => {
    const { b, v, clock } = await boot(false);
    await b.app.store.workflows.create(finishedRun('r1', 'release', 'faulty', T0 - 6 * DAY));
    await b.app.store.workflows.create(finishedRun('r2', 'rollback', 'done', T0 - 3 * DAY));
    clock.advance(60 * 60_000);
    expect(await b.app.ops.drift!.tick()).toBe('posted');
    const text = String(digests(b)[0]!.args.text);
    expect(text).toContain(`A rollback by <@${USERS.ben}> left production behind staging for 3 d`);
    expect(text).not.toContain('faulty');

    // A faulty release is the newest change on production and nobody followed it up.
    await b.app.store.workflows.create(finishedRun('r3', 'release', 'faulty', T0 - 2 * DAY - 60_000));
    clock.advance(DAY);
    expect(await b.app.ops.drift!.tick()).toBe('posted');
    const next = String(digests(b)[1]!.args.text);
    expect(next).toContain('went out faulty 3 d ago and nothing has followed it on production');
    expect(buttonsOf(digests(b)[1]!).filter((x) => x.value === `release ${v.newSha.slice(0, 7)}`)).toHaveLength(1);
  });

  it('two instances racing at its time, and a restart, post the day once', async () => {
    const { b, v, clock } = await boot(false);
    const other = await bootDrift(v, clock, { slack: b.slack, sqlitePath: b.sqlitePath });
    stops.push(() => other.stop());
    clock.advance(60 * 60_000);
    const ticks = await Promise.all([b.app.ops.drift!.tick(), other.app.ops.drift!.tick(), b.app.ops.drift!.tick()]);
    expect(ticks.sort()).toEqual(['done_today', 'done_today', 'posted']);
    // A restart at its time looks at boot and again: the day is taken.
    const again = await other.restart();
    stops.push(() => again.stop());
    expect(await again.app.ops.drift!.tick()).toBe('done_today');
    expect(digests(b)).toHaveLength(1);
  });
});
