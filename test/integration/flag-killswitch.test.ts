import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';

/**
 * Issue 9 §1 over signed HTTP: the kill switch never waits for a lock, and a flag PATCH that Heroku
 * answers late is read back and reported truthfully.
 */
let b: BootedApp;
beforeEach(async () => {
  b = await bootApp({ herokuAdapter: { timeoutMs: 300 } });
});
afterEach(async () => b?.stop());

const flagOf = (app: string) => b.heroku.app(app).configVars.FEATURE_AUTORISEN;
const textOf = (v: unknown): string => String((v as { text?: unknown })?.text ?? '');

/** `/autorisen <text>` in #rollout; resolves with the one reply once it comes. */
async function say(userId: string, text: string): Promise<string> {
  const res = await b.driver.command(text, { userId, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  if (res.json && textOf(res.json)) return textOf(res.json);
  const [reply] = await b.slack.waitForResponses(1, res.responseId, 10_000);
  return textOf(reply!.body);
}

async function patchArrived(app: string, n = 1): Promise<void> {
  for (let i = 0; i < 500 && b.heroku.requestsTo('PATCH', `/apps/${app}/config-vars`).length < n; i++)
    await new Promise((r) => setTimeout(r, 10));
}

describe('the kill switch never waits', () => {
  it('goes ahead during a flag change in flight, says so, and wins if that change lands after it', async () => {
    // `flag on staging` holds the lock while Heroku holds its PATCH, until the test lets it land.
    await b.stop();
    b = await bootApp();
    let land: () => void = () => undefined;
    const until = new Promise<void>((r) => {
      land = r;
    });
    b.heroku.fail({ method: 'PATCH', path: '/apps/autorisen/config-vars', until });
    const on = say(USERS.ana, 'flag on staging');
    await patchArrived('autorisen');
    const off = await say(USERS.ben, 'flag off staging --reason "errors"');
    expect(off).toMatch(/did not wait for the staging lock held by <@UANA0001> \(flag: flag on/);
    // Heroku now applies the `on` PATCH, after the kill switch.
    land();
    expect(await on).toMatch(/kill switch ran while this was applying .* set FEATURE_AUTORISEN back to "false"/);
    expect(flagOf('autorisen')).toBe('false');
    const rows = await b.app.store.audit.latest({ limit: 10 });
    expect(rows.find((r) => r.command === 'flag off')?.detail).toMatch(/overrode the flag lock of UANA0001/);
  });

  it('goes ahead through a manual freeze, naming what it overrode; the freeze stays', async () => {
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    expect(await say(USERS.cy, 'lock production launch freeze')).toMatch(/locked production/);
    const off = await say(USERS.ben, 'flag off production');
    expect(off).toMatch(/turned the rollout flag \*off\* in production/);
    expect(off).toMatch(/did not wait for the production lock held by <@UCY00003> \(manual: launch freeze/);
    expect(flagOf('capecraft')).toBe('false');
    // The freeze still holds for everything else.
    expect((await b.app.store.locks.get('production', Date.now()))?.kind).toBe('manual');
  });

  it('a stale flag lock left by a dead process does not block it either', async () => {
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    const now = Date.now();
    await b.app.store.locks.acquire({
      env: 'production',
      holderId: USERS.ada,
      kind: 'flag',
      reason: 'flag on',
      token: 'dead-process',
      acquiredAt: now,
      expiresAt: now + 120_000,
    });
    expect(await say(USERS.ben, 'flag off production')).toMatch(/turned the rollout flag \*off\* in production/);
    expect(flagOf('capecraft')).toBe('false');
  });
});

describe('a PATCH Heroku answers after the client timeout', () => {
  it('applied late: read back and reported as done, with how it was confirmed', async () => {
    b.heroku.fail({ method: 'PATCH', path: '/apps/autorisen/config-vars', hang: true });
    const on = say(USERS.ana, 'flag on staging');
    await patchArrived('autorisen');
    // Heroku applies it, but its answer never reaches the bot within the timeout.
    b.heroku.changeConfigVars('autorisen', { FEATURE_AUTORISEN: 'true' }, 'autorisen-bot@example.com');
    const text = await on;
    expect(text).toMatch(/turned the rollout flag \*on\* in staging/);
    expect(text).toMatch(/did not answer in time \(heroku_timeout\); reading it back confirmed the change/);
    const [row] = await b.app.store.audit.latest({ limit: 1, actorId: USERS.ana });
    expect(row).toMatchObject({ result: 'ok', detail: expect.stringMatching(/confirmed by reading back/) });
  });

  it('not applied as far as can be read: says the result is unknown and how to check', async () => {
    b.heroku.fail({ method: 'PATCH', path: '/apps/autorisen/config-vars', hang: true });
    const text = await say(USERS.ana, 'flag on staging');
    expect(text).toMatch(/Result unknown: .* still "false" \(off\), but Heroku may still apply the change late/);
    expect(text).toMatch(/flag status staging/);
    expect(flagOf('autorisen')).toBe('false');
    const [row] = await b.app.store.audit.latest({ limit: 1, actorId: USERS.ana });
    expect(row).toMatchObject({ result: 'error', detail: expect.stringMatching(/heroku_timeout: .*Result unknown/) });
  });
});
