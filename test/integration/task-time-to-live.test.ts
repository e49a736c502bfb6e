import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { defaultConfigYaml, USERS } from '../drivers/boot-app.ts';
import { dynos } from '../fakes/fake-heroku-dynos.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { maxTimeToLiveSeconds } from '../fakes/fake-heroku-schema.ts';
import { until } from './deploy-harness.ts';
import { bootReleaseWorld, CHANNEL, type ReleaseWorld } from './release-harness.ts';

/**
 * Issue 19 item 4: a one-off dyno's `time_to_live` is the task's timeout plus a 120 s margin, and
 * Heroku's Platform API schema caps it (dyno.time_to_live: "max 86400 seconds"). The limit is read
 * from the schema file, not copied.
 */
const MAX_TTL = maxTimeToLiveSeconds();
const MARGIN = 120;

const tasks = (timeout: number) => `
tasks:
  backfill:
    command: python -m scripts.backfill_autorisen
    timeout_seconds: ${timeout}
    environments: [staging]
`;

function bootProblems(yaml: string): readonly string[] {
  try {
    loadConfig({}, () => yaml);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('one-off task time_to_live against the Platform API schema', () => {
  let fake: FakeHeroku | undefined;
  let w: ReleaseWorld | undefined;
  afterEach(async () => {
    await fake?.close();
    await w?.stop();
    fake = undefined;
    w = undefined;
  });

  it('the fake Heroku refuses a dyno asking to live past the schema maximum with a 422 {id, message}', async () => {
    fake = await startFakeHeroku({ apps: [{ name: 'autorisen' }] });
    const create = (ttl: number) =>
      fetch(`${fake!.url}/apps/autorisen/dynos`, {
        method: 'POST',
        headers: {
          Accept: 'application/vnd.heroku+json; version=3',
          Authorization: `Bearer ${fake!.apiKey}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({ command: 'true', attach: false, type: 'run', time_to_live: ttl }),
      });
    const over = await create(MAX_TTL + 1);
    expect(over.status).toBe(422);
    expect(await over.json()).toEqual({
      id: 'invalid_params',
      message: `Time to live must be between 1 and ${MAX_TTL} seconds.`,
    });
    expect((await create(MAX_TTL)).status).toBe(201);
  });

  it('refuses at boot a timeout whose dyno would ask for more, naming the key and the limit', () => {
    const base = defaultConfigYaml();
    expect(bootProblems(base + tasks(MAX_TTL - MARGIN))).toEqual([]);
    const problems = bootProblems(base + tasks(MAX_TTL - MARGIN + 1));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^tasks\.backfill\.timeout_seconds: at most 86280 \(Heroku runs a one-off dyno 86400 s/,
    );
    expect(problems[0]).toContain(String(MAX_TTL - MARGIN));
    // The old limit (24 h of timeout) is refused too: its dyno would have asked for 86,520 s.
    expect(bootProblems(base + tasks(24 * 3600))).toHaveLength(1);
  });

  it('the longest allowed timeout starts a dyno Heroku accepts, with time_to_live exactly the maximum', async () => {
    w = await bootReleaseWorld({ extraYaml: tasks(MAX_TTL - MARGIN) });
    dynos(w.heroku).script = () => ({ lines: ['Backfilled 42 rows'], exitStatus: 0 });
    await w.b.driver.command('run staging backfill', { userId: USERS.ana, channelId: CHANNEL });
    const run = await until(async () => {
      const [r] = await w!.b.app.store.workflows.latest({ workflow: 'task', env: null, limit: 1 });
      return r && r.state !== 'running' && r.state !== 'waiting' ? r : null;
    }, 'the task run to end');
    expect(run.state).toBe('done');
    const [create] = w.heroku.requestsTo('POST', '/apps/autorisen/dynos');
    expect((create!.body as { time_to_live: number }).time_to_live).toBe(MAX_TTL);
  });
});
