import { afterEach, describe, expect, it, vi } from 'vitest';
import { flagOffCommand, flagStatusCommand } from '../../commands/flag.ts';
import { COMMAND_DEDUP_TTL_MS } from '../../src/services/dispatch/slash-dedup.ts';
import { BUSY_TEXT, WorkLimiter } from '../../src/services/dispatch/work-limiter.ts';
import { startFlagBotOverHttp } from '../support/flag-bot-http.ts';

/**
 * A saturated bot over signed Slack HTTP: the real transport, dispatcher, SQLite store and Heroku
 * adapter against the fake Heroku and Slack APIs, with a work limiter of 1 running + 1 waiting that
 * two `flag status` reads held by Heroku fill. A third read is answered "busy" in its ack without
 * touching anything; the kill switch still runs.
 */
let bot: Awaited<ReturnType<typeof startFlagBotOverHttp>> | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

async function saturatedBot() {
  const limiter = new WorkLimiter(1, 1, () => 0);
  bot = await startFlagBotOverHttp({ commands: [flagStatusCommand, flagOffCommand], limiter });
  return { ...bot, limiter };
}

describe('a saturated bot over signed HTTP', () => {
  it('answers "busy" at once for a status read, touching nothing, and still runs the kill switch', async () => {
    const { driver, limiter, clock, heroku, slack, opened } = await saturatedBot();
    heroku.fail({ hang: true, method: 'GET', path: '/apps/autorisen/config-vars' });
    // One read runs and one waits, both held by Heroku: the limiter is full.
    for (let i = 0; i < 2; i++) expect((await driver.command('flag status staging', { userId: 'UVIC' })).body).toBe('');
    await vi.waitFor(() => expect(limiter.load).toMatchObject({ active: 1, queued: 1 }));

    const triggerId = driver.triggerId();
    const refused = await driver.command('flag status production', { userId: 'UVIC', triggerId });
    expect(refused.status).toBe(200);
    expect((refused.json as { text?: string }).text).toBe(BUSY_TEXT);
    expect((refused.json as { response_type?: string }).response_type).toBe('ephemeral');
    // Nothing of it ran or was kept: no Heroku read, no reply, and its trigger_id is still unclaimed
    // (the "busy" came before the store), so nothing was done that a redelivery would have to skip.
    expect(heroku.requestsTo('GET', '/apps/capecraft/config-vars')).toHaveLength(0);
    expect(await opened.store.dedup.claim(`slash:T0001:${triggerId}`, clock.now(), COMMAND_DEDUP_TTL_MS)).toBe(true);
    expect(limiter.load).toMatchObject({ active: 1, queued: 1 });

    // The kill switch is never told "busy": it runs now, past the held reads.
    const kill = await driver.command('flag off production --reason "errors spiking"', { userId: 'UANA' });
    expect(kill.status).toBe(200);
    expect(kill.body).toBe('');
    const [reply] = await slack.waitForResponses(1, kill.responseId);
    expect(String(reply!.body.text)).toMatch(/turned the rollout flag \*off\* in production/);
    expect(heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');

    // The refusal is not silently dropped: one summary row in the audit log names it.
    await vi.waitFor(async () => {
      const rows = await opened.store.audit.latest({ limit: 20 });
      const busy = rows.find((r) => r.result === 'busy');
      expect(busy?.detail).toMatch(/1 command answered "busy".*flag status ×1.*UVIC/);
    });
    const rows = await opened.store.audit.latest({ limit: 20 });
    expect(rows.find((r) => r.command === 'flag off')?.result).toBe('ok');
  });
});
