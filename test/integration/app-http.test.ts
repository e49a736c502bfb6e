import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';

/** The real app over signed HTTP: the foundation's promises to Slack and to the team. */
describe('the app over HTTP', () => {
  let b: BootedApp;
  beforeAll(async () => {
    b = await bootApp();
  });
  afterAll(async () => b?.stop());

  it('acks a signed /autorisen help with 200 and replies with the commands the caller may run', async () => {
    const res = await b.driver.command('help', { userId: USERS.vic });
    expect(res.status).toBe(200);
    const text = String((await b.slack.answerTo(res)).text);
    expect(text).toContain('/autorisen help');
    // A viewer is not shown the operator-only audit command.
    expect(text).not.toContain('/autorisen audit');
    expect(text).toMatch(/more command\(s\) need a higher role than viewer/);
  });

  it('answers an unknown sub-command in the ack itself, with the nearest match', async () => {
    const res = await b.driver.command('hlep', { userId: USERS.ana });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.json)).toContain('Did you mean `/autorisen help`?');
  });

  it('denies an operator command to a viewer, in the ack, and audits the denial', async () => {
    const res = await b.driver.command('audit', { userId: USERS.vic });
    expect(JSON.stringify(res.json)).toMatch(/needs the operator role; you are a viewer/);
    const rows = await b.app.store.audit.latest({ limit: 5, actorId: USERS.vic });
    expect(rows[0]).toMatchObject({ command: 'audit', action: 'deny', result: 'denied' });
  });

  it('rejects a wrong signature and a stale timestamp with 401 and writes no audit row', async () => {
    const before = (await b.app.store.audit.latest({ limit: 50 })).length;
    const wrong = await b.driver.command('help', { userId: USERS.ana, signature: 'wrong' });
    const stale = await b.driver.command('help', { userId: USERS.ana, timestampOffsetSec: -301 });
    expect([wrong.status, stale.status]).toEqual([401, 401]);
    expect((await b.app.store.audit.latest({ limit: 50 })).length).toBe(before);
  });

  it('shows the audit log to an operator, newest first, filtered by user', async () => {
    await b.driver.command('help', { userId: USERS.ben });
    // A query's audit row is written just after its answer.
    await vi.waitFor(async () =>
      expect(await b.app.store.audit.latest({ limit: 1, actorId: USERS.ben })).toHaveLength(1),
    );
    const res = await b.driver.command(`audit 5 --user <@${USERS.ben}|ben>`, { userId: USERS.ana });
    const text = String((await b.slack.answerTo(res)).text);
    expect(text).toContain(`${USERS.ben} help invoke → ok`);
    expect(text).not.toContain(USERS.vic);
  });

  it('reports health from the database', async () => {
    const res = await fetch(`${b.url}/healthz`);
    expect(res.status).toBe(200);
  });
});

describe('health when the database is gone', () => {
  it('answers 503', async () => {
    const b = await bootApp();
    try {
      await b.app.store.close();
      const res = await fetch(`${b.url}/healthz`);
      expect(res.status).toBe(503);
    } finally {
      await b.stop();
    }
  });
});
