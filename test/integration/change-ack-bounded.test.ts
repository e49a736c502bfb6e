import { afterEach, describe, expect, it, vi } from 'vitest';
import { flagOffCommand, flagOnCommand, flagStatusCommand } from '../../commands/flag.ts';
import type { Message } from '../../src/core/message.ts';
import type { Store } from '../../src/ports/store.ts';
import { COMMAND_DEDUP_TTL_MS } from '../../src/services/dispatch/slash-dedup.ts';
import { BUSY_TEXT, WorkLimiter } from '../../src/services/dispatch/work-limiter.ts';
import type { FakeHeroku } from '../fakes/fake-heroku-api.ts';
import type { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { startFlagBotOverHttp } from '../support/flag-bot-http.ts';
import type { OpenedStore } from '../support/test-databases.ts';

/**
 * Issue 19 §8: a change's ack must not wait for the work queued before it. The real transport,
 * dispatcher, SQLite store and Heroku adapter against the fake Heroku and Slack APIs; the change lane
 * runs 2 changes at once, and Heroku holds their reads, so every change after them waits in the lane.
 */
const RETRY = { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' };

let bot: Awaited<ReturnType<typeof startFlagBotOverHttp>> | undefined;
let heroku: FakeHeroku;
let slack: FakeSlackApi;
let opened: OpenedStore;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

/** The change lane runs 2 at once (slots lent for a minute); queries run `queryLimit` and as many wait. */
async function busyBot(o: { store?: (s: Store) => Store; queryLimit?: number } = {}) {
  const q = o.queryLimit ?? 8;
  const limiter = new WorkLimiter(q, q, () => 0, 20, { concurrency: 2, leaseMs: 60_000 });
  bot = await startFlagBotOverHttp({
    commands: [flagStatusCommand, flagOnCommand, flagOffCommand],
    limiter,
    ...(o.store ? { store: o.store } : {}),
  });
  ({ heroku, slack, opened } = bot);
  return { ...bot, limiter };
}

/** Heroku holds every read of staging's config until the returned function is called. */
function holdStagingReads(): () => void {
  let release = () => {};
  const until = new Promise<void>((r) => (release = r));
  heroku.fail({ method: 'GET', path: '/apps/autorisen/config-vars', until, times: 100 });
  return release;
}

describe('a change is acked at once, whatever work is queued before it', () => {
  it('acks a new change empty before its work starts, runs it once after the queue, and answers on response_url', async () => {
    const { driver, limiter, clock } = await busyBot();
    const release = holdStagingReads();
    const ana = { userId: 'UANA' };
    // Six changes in flight: two run (held by Heroku), four wait in the lane.
    for (let i = 0; i < 6; i++) expect((await driver.command(`flag on staging --reason "r${i}"`, ana)).body).toBe('');
    await vi.waitFor(() => expect(limiter.changes.load).toMatchObject({ active: 2, queued: 4 }));
    expect(heroku.requestsTo('GET', '/apps/autorisen/config-vars')).toHaveLength(2);

    // A new change: its ack is empty and comes now, before its work (which waits its turn).
    const triggerId = driver.triggerId();
    const o = { ...ana, triggerId, responseId: 'queued-change' };
    const res = await driver.command('flag on staging --reason "mine"', o);
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(limiter.changes.load).toMatchObject({ active: 2, queued: 5 });
    expect(slack.responses.filter((r) => r.id === 'queued-change')).toHaveLength(0);
    expect(heroku.requestsTo('GET', '/apps/autorisen/config-vars')).toHaveLength(2);
    // Slack, not seeing the ack in time, resends it: acked empty too, and it will not run twice.
    expect((await driver.command('flag on staging --reason "mine"', { ...o, headers: RETRY })).body).toBe('');

    // The kill switch never waits in the lane: it runs now, past the held changes.
    const kill = await driver.command('flag off production --reason "errors"', { ...ana, responseId: 'kill' });
    expect(kill.body).toBe('');
    const [killed] = await slack.waitForResponses(1, 'kill');
    expect(String(killed!.body.text)).toMatch(/turned the rollout flag \*off\* in production/);
    expect(limiter.changes.load).toMatchObject({ active: 2, queued: 6 });

    release();
    const [answer] = await slack.waitForResponses(1, 'queued-change');
    expect(String(answer!.body.text)).toMatch(/staging/);
    await vi.waitFor(() => expect(limiter.changes.load).toEqual({ active: 0, queued: 0, urgent: 0 }));
    // Exactly once: one answer on its response_url, the redelivery audited as a duplicate, one PATCH in all.
    expect(slack.responses.filter((r) => r.id === 'queued-change')).toHaveLength(1);
    expect(heroku.requestsTo('PATCH', '/apps/autorisen/config-vars')).toHaveLength(1);
    const rows = await opened.store.audit.latest({ limit: 50 });
    expect(rows.filter((r) => r.result === 'duplicate')).toHaveLength(1);
    expect(await opened.store.dedup.claim(`slash:T0001:${triggerId}`, clock.now(), COMMAND_DEDUP_TTL_MS)).toBe(false);
  });

  it("does not wait for the store before a change's ack: the delivery is claimed afterwards, once", async () => {
    let openClaims = () => {};
    const claimsHeld = new Promise<void>((r) => (openClaims = r));
    let claims = 0;
    const { dispatcher } = await busyBot({
      store: (s) => ({
        ...s,
        dedup: {
          ...s.dedup,
          claim: async (...args: Parameters<Store['dedup']['claim']>) => {
            claims++;
            await claimsHeld;
            return s.dedup.claim(...args);
          },
        },
      }),
    });
    // The dispatcher itself (the transport would ack empty after its budget anyway): it answers
    // while the store still holds the claim.
    const replies: Message[] = [];
    const responder = { reply: async (m: Message) => void replies.push(m) };
    const req = { userId: 'UANA', channelId: 'C1', correlationId: 'c1', responder, dedupKey: 'T0001:trig-1' };
    const dispatch = await dispatcher.command({ ...req, text: 'flag on staging' });
    expect(dispatch.ack).toBeNull();
    await vi.waitFor(() => expect(claims).toBe(1));
    expect(replies).toHaveLength(0);
    // A redelivery is acked at once too; whichever claims second does nothing.
    const again = await dispatcher.command({ ...req, text: 'flag on staging', retry: { num: 1, reason: null } });
    expect(again.ack).toBeNull();
    openClaims();
    await Promise.all([dispatch.done, again.done]);
    expect(replies.map((m) => m.text)).toEqual([expect.stringMatching(/turned the rollout flag \*on\* in staging/)]);
    expect(heroku.requestsTo('PATCH', '/apps/autorisen/config-vars')).toHaveLength(1);
  });

  it("answers a dry run in its ack with the plan, without waiting for the dry run's audit row", async () => {
    let openAudit = () => {};
    const auditHeld = new Promise<void>((r) => (openAudit = r));
    const { dispatcher } = await busyBot({
      store: (s) => ({
        ...s,
        audit: {
          ...s.audit,
          append: async (...args: Parameters<Store['audit']['append']>) => {
            await auditHeld;
            return s.audit.append(...args);
          },
        },
      }),
    });
    const responder = { reply: async () => undefined };
    const req = { userId: 'UANA', channelId: 'C1', correlationId: 'c-dry', responder, dedupKey: 'T0001:trig-dry' };
    const dispatch = await dispatcher.command({ ...req, text: 'flag on staging --dry-run' });
    expect(dispatch.ack?.text).toMatch(/dry run/i);
    expect(await opened.store.audit.latest({ limit: 5, actorId: 'UANA' })).toEqual([]);
    openAudit();
    await dispatch.done;
    const [row] = await opened.store.audit.latest({ limit: 5, actorId: 'UANA' });
    expect(row).toMatchObject({ action: 'dry_run', result: 'ok', args: 'flag on staging --dry-run' });
    expect(heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('false');
  });

  it('treats a dry run like a query: never claimed, and told "busy" when the bot is saturated', async () => {
    const { driver, limiter, clock } = await busyBot({ queryLimit: 1 });
    const release = holdStagingReads();
    // One status read runs and one waits, held by Heroku: queries (and dry runs) are now refused.
    for (let i = 0; i < 2; i++) await driver.command('flag status staging', { userId: 'UVIC' });
    await vi.waitFor(() => expect(limiter.load).toMatchObject({ active: 1, queued: 1 }));
    const triggerId = driver.triggerId();
    const dry = await driver.command('flag on staging --dry-run', { userId: 'UANA', triggerId });
    expect((dry.json as { text?: string }).text).toBe(BUSY_TEXT);
    expect(await opened.store.dedup.claim(`slash:T0001:${triggerId}`, clock.now(), COMMAND_DEDUP_TTL_MS)).toBe(true);
    // A real change is never refused: it is acked and waits for Heroku like the rest.
    const change = await driver.command('flag on staging', { userId: 'UANA', responseId: 'real' });
    expect(change.body).toBe('');
    release();
    const [answer] = await slack.waitForResponses(1, 'real');
    expect(String(answer!.body.text)).toMatch(/turned the rollout flag \*on\* in staging/);

    // Not saturated (the held status reads have finished): the dry run shows the plan (in the ack,
    // like a query's answer) and changes nothing; a redelivery answers again. Without waiting, a
    // status read still finishing made the dry run "busy" now and then, and only one answer came.
    await vi.waitFor(() => expect(limiter.load).toMatchObject({ active: 0, queued: 0 }));
    const o = { userId: 'UANA', triggerId: driver.triggerId() };
    for (const headers of [{}, RETRY]) {
      const answer = await slack.answerTo(await driver.command('flag off staging --dry-run', { ...o, headers }));
      expect(String(answer.text)).toMatch(/dry run/i);
    }
    expect(heroku.app('autorisen').configVars.FEATURE_AUTORISEN).toBe('true');
  });
});
