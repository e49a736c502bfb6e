import { afterEach, describe, expect, it } from 'vitest';
import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import { HerokuReadCache } from '../../src/adapters/heroku/heroku-read-cache.ts';
import { buildOn } from '../../src/workflows/steps/heroku-steps.ts';
import { runStepAlone } from '../support/step-alone.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { TestClock } from '../support/test-clock.ts';

/**
 * Following a 10-minute Heroku build with the production poll timings, on simulated time: the fake
 * Heroku API counts the polls that reach it, at a full budget and at shrinking ones.
 */
const BUILD_MS = 10 * 60_000;
let fake: FakeHeroku | undefined;
afterEach(async () => fake?.close());

/** Polls (GET /builds/:id) it took to follow one 10-minute build with `remaining` tokens left at the start. */
async function pollsFor(remaining: number): Promise<number> {
  const clock = new TestClock();
  fake = await startFakeHeroku({ apps: [{ name: 'capecraft', configVars: {} }] });
  fake.rateLimitRemaining = remaining;
  fake.buildBehaviour = { ...fake.buildBehaviour, outcome: 'manual' };
  const cache = new HerokuReadCache(() => clock.now());
  const heroku = createHerokuAdapter(
    { apiKey: fake.apiKey, apiUrl: fake.url, dataApiUrl: fake.dataUrl },
    { timeoutMs: 2000, readCache: cache },
  );
  const build = await heroku.createBuild('capecraft', { url: 'https://example.com/t.tgz', version: 'a'.repeat(40) });
  const started = clock.now();
  const sleep = clock.sleep.bind(clock);
  clock.sleep = async (ms) => {
    await sleep(ms);
    if (clock.now() - started >= BUILD_MS) fake!.completeBuild(build.id, 'succeeded');
  };
  const step = buildOn('production', 'a'.repeat(40));
  const result = await runStepAlone(
    step,
    { heroku, clock, pollMs: 5_000, herokuRemaining: () => cache.remaining() },
    {
      envs: [{ name: 'production', herokuApp: 'capecraft' }],
      scratch: { buildId: build.id },
    },
  );
  expect(result).toMatchObject({ kind: 'done', data: { version: expect.any(Number) } });
  const polls = fake.requestsTo('GET', `/apps/capecraft/builds/${build.id}`).length;
  await fake.close();
  fake = undefined;
  return polls;
}

describe('build polling and the Heroku budget', () => {
  it('follows a 10-minute build in far fewer polls than a fixed 5 s (120), and slows as RateLimit-Remaining falls', async () => {
    const full = await pollsFor(4500);
    const half = await pollsFor(1500);
    const low = await pollsFor(300);
    expect(full).toBeLessThanOrEqual(30);
    expect(full).toBeGreaterThanOrEqual(15); // still notices the end within about 30 s
    expect(half).toBeLessThan(full);
    expect(low).toBeLessThan(half);
    expect(low).toBeGreaterThanOrEqual(2); // slowed, never stopped
  });
});
