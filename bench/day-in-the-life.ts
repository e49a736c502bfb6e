import { rng as prng } from '../test/support/guard-traffic.ts'; // one seeded PRNG (mulberry32) for every bench
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { flagOffCommand, flagOnCommand, flagStatusCommand } from '../commands/flag.ts';
import { createHerokuAdapter } from '../src/adapters/heroku/heroku-adapter.ts';
import { HerokuReadCache } from '../src/adapters/heroku/heroku-read-cache.ts';
import { migrate } from '../src/adapters/store/migrate.ts';
import { createStoreFromDb } from '../src/adapters/store/sql-store.ts';
import { openSqliteDb } from '../src/adapters/store/sqlite.ts';
import { loadConfig } from '../src/config.ts';
import { Registry } from '../src/core/registry.ts';
import { createLogger } from '../src/log.ts';
import type { GitHubPort } from '../src/ports/github.ts';
import type { HerokuPort } from '../src/ports/heroku.ts';
import type { Ports } from '../src/services/context.ts';
import { backupOf, buildOn } from '../src/workflows/steps/heroku-steps.ts';
import { rollbackTo } from '../src/workflows/steps/rollback.ts';
import { runStepAlone } from '../test/support/step-alone.ts';
import { CommandDispatcher } from '../src/services/dispatch/dispatcher.ts';
import { startFakeHeroku } from '../test/fakes/fake-heroku-api.ts';
import { SimClock } from './sim-clock.ts';

/**
 * "A day in the life": a busy 8-hour working day of 10 people replayed over loopback against the
 * fake Heroku API, on simulated time (SimClock: no wall-clock waiting), counting the requests that
 * reach Heroku per hour. Target: under 450 an hour (10% of Heroku's 4,500).
 *
 * Real code paths: `flag status` and flag flips through the real dispatcher, commands, SQLite store
 * and Heroku adapter (status on the low-priority cached view, flips on the essential one); deploys
 * and rollbacks through the real backup, build and rollback steps (their polling included). Modelled
 * (same adapter calls, listed here): a Home open = config vars + releases of each environment on the
 * low-priority view (App Home is not on this branch); a deploy's plan = releases(10) + config vars,
 * its finish = release + config vars; a rollback's plan = releases(20) + config vars. Alerts make no
 * Heroku call (src/services/alert-*), so the 500 alerts cost none; each release the bot makes is
 * followed by Heroku's api:release webhook, which drops that app's cached reads.
 */
const DAY_START = Date.UTC(2026, 10, 30, 9, 0, 0);
const HOURS = 8;
const BUILD_MS = 10 * 60_000;

const YAML = `
environments:
  - { name: staging, heroku_app: autorisen, github_repo: o/r, base_url: "http://127.0.0.1:9" }
  - { name: production, heroku_app: capecraft, github_repo: o/r, base_url: "http://127.0.0.1:9", production: true }
roles:
  default: viewer
  users: { UOPS1: operator }
`;

export interface DayResult {
  total: number;
  perHour: number[];
  worstHour: number;
  notModified: number;
  minRemaining: number;
}

export async function benchDayInTheLife(print: (l: string) => void = console.log): Promise<DayResult> {
  const clock = new SimClock(DAY_START);
  const config = loadConfig({ LOG_LEVEL: 'silent' }, () => YAML);
  const fake = await startFakeHeroku({
    now: () => clock.now(),
    apps: ['autorisen', 'capecraft'].map((name) => ({
      name,
      configVars: { FEATURE_AUTORISEN: 'false' },
      releases: [{ description: 'Initial release' }, { description: 'Deploy 1111111' }],
    })),
  });
  fake.buildBehaviour = { ...fake.buildBehaviour, outcome: 'manual' };
  fake.backupBehaviour = { ...fake.backupBehaviour, afterPolls: 4 };
  const cache = new HerokuReadCache(() => clock.now());
  const herokuConfig = { apiKey: fake.apiKey, apiUrl: fake.url, dataApiUrl: fake.dataUrl };
  const heroku = createHerokuAdapter(herokuConfig, { environments: config.environments, readCache: cache });
  const reads = createHerokuAdapter(herokuConfig, {
    environments: config.environments,
    readCache: cache,
    priority: 'low',
  });
  const db = openSqliteDb(join(mkdtempSync(join(tmpdir(), 'autorisen-day-')), 'day.db'));
  await migrate(db);
  const store = createStoreFromDb(db);
  const registry = new Registry([flagStatusCommand, flagOnCommand, flagOffCommand]);
  const dispatcher = new CommandDispatcher({
    config,
    registry,
    ports: {
      environments: config.environments,
      heroku,
      herokuReads: reads,
      store,
      clock,
      ids: { next: () => Math.random().toString(36).slice(2) },
      catalog: registry.commands,
    } as unknown as Ports,
    chat: {
      post: async (channel) => ({ channel, ts: '1.0' }),
      update: async () => undefined,
      ephemeral: async () => undefined,
    },
    directory: { groupsOf: async () => [] },
    log: createLogger({ ...config, logLevel: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }) as never),
  });
  const quiet = { reply: async () => undefined };
  let n = 0;
  const command = async (user: string, text: string) => {
    const d = await dispatcher.command({
      userId: user,
      channelId: 'C1',
      text,
      correlationId: `d${++n}`,
      responder: quiet,
    });
    await d.done;
  };
  const steps = stepPorts(heroku, clock, fake, cache);
  const apps = ['autorisen', 'capecraft'];

  const rand = prng(13);
  const at = () => DAY_START + Math.floor(rand() * HOURS * 3_600_000);
  const changes: number[] = [];
  // 20 deploys (half to production, with a backup), 5 rollbacks, 10 flag flips (staging on/off).
  for (let i = 0; i < 20; i++) {
    const t = at();
    changes.push(t);
    clock.at(t, () => deploy(steps, heroku, cache, apps[i % 2]!, i % 2 === 1));
  }
  for (let i = 0; i < 5; i++) {
    const t = at();
    changes.push(t);
    clock.at(t, () => rollback(steps, heroku, cache, apps[i % 2]!));
  }
  for (let i = 0; i < 10; i++) {
    const t = at();
    changes.push(t);
    clock.at(t, () => command('UOPS1', `flag ${i % 2 === 0 ? 'on' : 'off'} staging --reason day`));
  }
  // People look after changes: 40% of status checks and Home opens fall within 3 minutes of one.
  const lookAt = (i: number) =>
    i % 5 < 2 ? changes[Math.floor(rand() * changes.length)]! + Math.floor(rand() * 180_000) : at();
  for (let i = 0; i < 200; i++) clock.at(lookAt(i), () => command(`U${i % 10}`, 'flag status'));
  for (let i = 0; i < 200; i++)
    clock.at(lookAt(i), async () => {
      for (const app of apps) await Promise.all([reads.getConfigVars(app), reads.listReleases(app, 50)]);
    });

  let minRemaining = 4500;
  const errors: unknown[] = [];
  await clock.runAll((err) => errors.push(err));
  const sent = fake.apiRequests();
  const perHour = Array.from({ length: HOURS + 1 }, () => 0);
  for (const r of sent) {
    const h = Math.floor((r.at - DAY_START) / 3_600_000);
    perHour[Math.min(HOURS, Math.max(0, h))]!++;
  }
  minRemaining = Math.min(minRemaining, fake.rateLimitRemaining);
  await fake.close();
  const total = sent.length;
  const worstHour = Math.max(...perHour);
  print(
    `day in the life (simulated ${HOURS} h, 10 people): 200 flag status, 200 Home opens (modelled), 20 deploys (10-min builds, 10 with backups), 5 rollbacks, 10 flag flips, 500 alerts (no Heroku calls)`,
  );
  print(`| hour | ${perHour.map((_, i) => String(9 + i)).join(' | ')} |`);
  print(`|---|${perHour.map(() => '---').join('|')}|`);
  print(`| Heroku requests | ${perHour.join(' | ')} |`);
  print(
    `total ${total} requests (${fake.notModified} answered 304), average ${(total / HOURS).toFixed(0)}/h, worst hour ${worstHour}/h (target < 450/h); ${errors.length} errors`,
  );
  for (const e of errors.slice(0, 3)) print(`  error: ${e instanceof Error ? e.message : String(e)}`);
  return { total, perHour, worstHour, notModified: fake.notModified, minRemaining };
}

type StepPortsAlone = Parameters<typeof runStepAlone>[1];

function stepPorts(
  heroku: HerokuPort,
  clock: SimClock,
  fake: Awaited<ReturnType<typeof startFakeHeroku>>,
  cache: HerokuReadCache,
): StepPortsAlone {
  return {
    heroku,
    github: { tarballUrl: async () => 'https://codeload.example.com/o/r/tar.gz/abc' } as unknown as GitHubPort,
    clock: {
      now: () => clock.now(),
      // Heroku finishes each build 10 minutes after it started (the fake's builds are "manual").
      sleep: async (ms: number) => {
        await clock.sleep(ms);
        for (const app of fake.apps.values())
          for (const b of app.builds)
            if (b.status === 'pending' && clock.now() - Date.parse(b.createdAt) >= BUILD_MS)
              fake.completeBuild(b.id, 'succeeded');
      },
    },
    pollMs: 5_000,
    herokuRemaining: () => cache.remaining(),
  };
}

const envsFor = (app: string) => [{ name: app, herokuApp: app, github: { owner: 'o', repo: 'r' } }] as never[];

async function deploy(
  d: StepPortsAlone,
  heroku: HerokuPort,
  cache: HerokuReadCache,
  app: string,
  backup: boolean,
): Promise<void> {
  await heroku.listReleases(app, 10);
  await heroku.getConfigVars(app);
  const opts = { envs: envsFor(app) };
  if (backup) await runStepAlone(backupOf(app), d, opts);
  const built = await runStepAlone(buildOn(app, 'a'.repeat(40)), d, opts);
  if (built.kind !== 'done') throw new Error(`deploy of ${app}: ${JSON.stringify(built)}`);
  cache.invalidate(app); // Heroku's api:release webhook for the new release
  await heroku.getConfigVars(app);
}

async function rollback(d: StepPortsAlone, heroku: HerokuPort, cache: HerokuReadCache, app: string): Promise<void> {
  const releases = await heroku.listReleases(app, 20);
  await heroku.getConfigVars(app);
  const current = releases[0]!;
  const target = releases[1] ?? current;
  const step = rollbackTo(app, {
    targetReleaseId: target.id,
    targetVersion: target.version,
    previousVersion: current.version,
  });
  await runStepAlone(step, d, { envs: envsFor(app) });
  cache.invalidate(app);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchDayInTheLife().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
