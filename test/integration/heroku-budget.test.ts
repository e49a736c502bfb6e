import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import { HerokuReadCache, READ_CACHE_TTL_MS } from '../../src/adapters/heroku/heroku-read-cache.ts';
import { LOW_PRIORITY_FLOOR } from '../../src/core/heroku-budget.ts';
import { AppError } from '../../src/errors.ts';
import type { HerokuPort } from '../../src/ports/heroku.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { TestClock } from '../support/test-clock.ts';

/**
 * The Heroku adapter's read cache and budget against the fake Heroku API over HTTP: requests are
 * counted where they arrive. `reads` is the view status and Home use (priority low), `heroku` the
 * one deploys, rollbacks and flag flips use (essential); both share one cache, as in src/app.ts.
 */
let fake: FakeHeroku;
let clock: TestClock;
let cache: HerokuReadCache;
let heroku: HerokuPort;
let reads: HerokuPort;

beforeEach(async () => {
  clock = new TestClock();
  fake = await startFakeHeroku({
    now: () => clock.now(),
    apps: [
      { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false' } },
      { name: 'capecraft', configVars: { FEATURE_AUTORISEN: 'false' } },
    ],
  });
  cache = new HerokuReadCache(() => clock.now());
  const config = { apiKey: fake.apiKey, apiUrl: fake.url, dataApiUrl: fake.dataUrl };
  heroku = createHerokuAdapter(config, { timeoutMs: 2000, readCache: cache });
  reads = createHerokuAdapter(config, { timeoutMs: 2000, readCache: cache, priority: 'low' });
});
afterEach(async () => fake.close());

const configReads = (app = 'capecraft') => fake.requestsTo('GET', `/apps/${app}/config-vars`).length;

describe('heroku read cache', () => {
  it('serves a repeated status read from the cache: one request reaches Heroku', async () => {
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' });
    expect((await reads.listReleases('capecraft', 50)).length).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' });
      await reads.listReleases('capecraft', 50);
    }
    expect(configReads()).toBe(1);
    expect(fake.requestsTo('GET', '/apps/capecraft/releases')).toHaveLength(1);
  });

  it('revalidates with If-None-Match after the TTL: 304, same answer, no body sent', async () => {
    await reads.getConfigVars('capecraft');
    clock.advance(READ_CACHE_TTL_MS + 1);
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' });
    const [first, second] = fake.requestsTo('GET', '/apps/capecraft/config-vars');
    expect(first!.headers['if-none-match']).toBeUndefined();
    expect(second!.headers['if-none-match']).toMatch(/^".+"$/);
    expect(fake.notModified).toBe(1);
  });

  it('essential reads always ask Heroku (conditionally), and see a change made outside at once', async () => {
    await reads.getConfigVars('capecraft');
    fake.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    expect(await heroku.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'true' });
    expect(configReads()).toBe(2);
    // …and refresh the copy status reads get.
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'true' });
    expect(configReads()).toBe(2);
  });

  it("is invalidated by the bot's own write: the next status read asks Heroku and sees the new value", async () => {
    await reads.getConfigVars('capecraft');
    await reads.listReleases('capecraft', 50);
    const before = (await reads.listReleases('capecraft', 50))[0]!.version;
    await heroku.setConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'true' });
    expect((await reads.listReleases('capecraft', 50))[0]!.version).toBe(before + 1);
    expect(configReads()).toBe(2);
    // The other app's entries are untouched.
    await reads.getConfigVars('autorisen');
    await reads.getConfigVars('autorisen');
    expect(configReads('autorisen')).toBe(1);
  });

  it('sends one request for status reads that arrive together once the copy has expired', async () => {
    await reads.getConfigVars('capecraft');
    clock.advance(READ_CACHE_TTL_MS + 1);
    fake.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    const together = await Promise.all(Array.from({ length: 20 }, () => reads.getConfigVars('capecraft')));
    expect(together.every((v) => v.FEATURE_AUTORISEN === 'true')).toBe(true);
    expect(configReads()).toBe(2);
  });

  it('does not hand a read an answer sent before a change it could know about', async () => {
    await reads.getConfigVars('capecraft');
    clock.advance(READ_CACHE_TTL_MS + 1);
    fake.fail({ hang: true, method: 'GET', path: '/apps/capecraft/config-vars', times: 1 });
    const held = reads.getConfigVars('capecraft').catch((e: unknown) => e); // in flight, held by Heroku
    await vi.waitFor(() => expect(configReads()).toBe(2));
    fake.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    cache.invalidate('capecraft'); // the api:release webhook for that change
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'true' });
    fake.clearFaults();
    await held;
  });

  it('is invalidated by invalidate(app) (what an api:release webhook triggers)', async () => {
    await reads.getConfigVars('capecraft');
    fake.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' });
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' }); // cached, by design
    cache.invalidate('capecraft');
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'true' });
  });
});

describe('heroku budget: priorities', () => {
  it('below the floor a status read gives way (stale copy, or a clear refusal) while the kill switch still runs', async () => {
    await reads.getConfigVars('capecraft'); // cached while the budget was fine
    fake.rateLimitRemaining = 40;
    await heroku.listReleases('autorisen', 1); // the bot learns: RateLimit-Remaining 39
    expect(cache.remaining()).toBe(39);
    const sentBefore = fake.apiRequests().length;

    clock.advance(READ_CACHE_TTL_MS + 1);
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' }); // stale, not sent
    const refused = await reads.getConfigVars('autorisen').then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('heroku_rate_limited');
    expect((refused as AppError).userMessage).toMatch(/keeping it for deploys, rollbacks and the kill switch/);
    expect(fake.apiRequests().length).toBe(sentBefore);

    // The kill switch: read and write both go out, with the budget nearly spent.
    expect(await heroku.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' });
    expect(await heroku.setConfigVars('capecraft', { FEATURE_AUTORISEN: 'false' })).toMatchObject({
      FEATURE_AUTORISEN: 'false',
    });
    expect(fake.apiRequests().length).toBe(sentBefore + 2);
  });

  it("status reads come back as Heroku's bucket refills (75 a minute)", async () => {
    fake.rateLimitRemaining = 100;
    await heroku.getConfigVars('autorisen');
    await expect(reads.getConfigVars('capecraft')).rejects.toThrow(/budget is low/);
    clock.advance(Math.ceil(((LOW_PRIORITY_FLOOR - 99) / 75) * 60_000));
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' });
  });

  it('a status read that Heroku answers 429 makes do with its cached copy; an essential one reports the 429', async () => {
    await reads.getConfigVars('capecraft');
    clock.advance(READ_CACHE_TTL_MS + 1);
    fake.fail({ status: 429, times: 2 });
    expect(await reads.getConfigVars('capecraft')).toEqual({ FEATURE_AUTORISEN: 'false' });
    await expect(heroku.getConfigVars('capecraft')).rejects.toMatchObject({ code: 'heroku_rate_limited' });
  });
});
