import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { migrate } from '../../src/adapters/store/migrate.ts';
import { openPostgresDb } from '../../src/adapters/store/postgres.ts';
import { createStoreFromDb } from '../../src/adapters/store/sql-store.ts';
import type { AppOptions } from '../../src/app.ts';
import type { Store } from '../../src/ports/store.ts';
import { BOT_TOKEN, SIGNING_SECRET } from '../drivers/boot-app.ts';
import { SlackDriver } from '../drivers/slack-driver.ts';
import type { FakeGitHub } from '../fakes/fake-github-api.ts';
import type { FakeHeroku } from '../fakes/fake-heroku-api.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { SECRETS } from '../integration/alert-harness.ts';
import { PROBE_TOKEN, startReleaseVendors, type FakeCapecraft } from '../integration/release-harness.ts';
import { startRoundRobinRouter, type RoundRobinRouter } from './round-robin-router.ts';
import { freshAppSchema } from './test-databases.ts';

/**
 * Issue 19 §7: several bot processes (Heroku web dynos) on one PostgreSQL schema, behind a
 * round-robin router, all talking to the same fake Slack, Heroku and GitHub servers over HTTP.
 * Each instance runs on the system clock in its own process, so `kill -9` is a real crash; bakes
 * run on a compressed minute and leases are short so a takeover happens within a second or two.
 */
export interface Instance {
  index: number;
  url: string;
  child: ChildProcess;
  logFile: string;
  alive: boolean;
}

export interface ThreeWorld {
  instances: Instance[];
  router: RoundRobinRouter;
  /** Signed Slack requests through the router (each one to the next instance). */
  driver: SlackDriver;
  /** Signed Slack requests straight to instance i (e.g. two clicks landing on two instances at once). */
  direct(i: number): SlackDriver;
  slack: FakeSlackApi;
  heroku: FakeHeroku;
  github: FakeGitHub;
  capecraft: FakeCapecraft;
  shas: { base: string; head: string };
  /** The Slack Web API calls instance i made (its own egress proxy), e.g. `/api/views.publish`. */
  slackCallsBy(i: number): string[];
  /** The shared database, opened by the test (the instances each have their own pool). */
  store: Store;
  /** `kill -9` instance i: no graceful stop, its leases are left to expire. */
  kill(i: number): Promise<void>;
  /** Every parsed log line of instance i. */
  logs(i: number): Record<string, unknown>[];
  stop(): Promise<void>;
}

export interface ThreeOptions {
  count?: number;
  /** YAML appended to the release world's config (alerts routing, log drain, …). */
  extraYaml?: string;
  /** App options merged over the defaults below. */
  options?: Partial<Omit<AppOptions, 'clock' | 'logger'>>;
  env?: Record<string, string>;
  /** Cap on each instance's sleeps (see instance-process.ts); default 100 ms. */
  maxSleepMs?: number;
}

/** Fast polls, a bake minute of 20 ms, a 1.5 s lease swept every 0.3 s: a dead peer's run moves on within ~2 s. */
export const INSTANCE_OPTIONS: Partial<Omit<AppOptions, 'clock' | 'logger'>> = {
  flagReadbackWaitsMs: [0, 20, 50],
  slackChat: { postIntervalMs: 0 },
  github: { throttle: false, retries: 1, retryBaseMs: 1 },
  homePacing: { perMinute: 6000, perUserMs: 0, coalesceMs: 20 },
  homePeerPollMs: 100,
  workflows: { pollMs: 20, bakePollMs: 50, bakeMinuteMs: 20, lease: { ttlMs: 1500, sweepMs: 300 } },
};

const INSTANCE_SCRIPT = fileURLToPath(new URL('./instance-process.ts', import.meta.url));

export async function bootThreeInstances(o: ThreeOptions = {}): Promise<ThreeWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-three-'));
  const db = await freshAppSchema('three');
  const slack = await FakeSlackApi.start({ token: BOT_TOKEN });
  const { github, heroku, capecraft, shas, yaml } = await startReleaseVendors({ extraYaml: o.extraYaml ?? '' });
  const env: Record<string, string> = {
    PORT: '0',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    HEROKU_API_KEY: heroku.apiKey,
    HEROKU_API_URL: heroku.url,
    HEROKU_DATA_API_URL: heroku.dataUrl,
    GITHUB_TOKEN: 'ghp_testtoken0000',
    GITHUB_API_URL: github.url,
    SQLITE_PATH: join(dir, 'unused.db'),
    DATABASE_URL: db.url,
    LOG_LEVEL: 'info',
    PROBE_TOKEN,
    ...SECRETS,
    ...o.env,
  } as Record<string, string>;
  const options = { ...INSTANCE_OPTIONS, ...o.options };
  const count = o.count ?? 3;
  // Each instance reaches Slack through its own proxy, so a test can tell who called what.
  const slackApi = new URL(slack.apiUrl);
  const egress = await Promise.all(Array.from({ length: count }, () => startRoundRobinRouter(() => [slackApi.origin])));
  const instances = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      spawnInstance(index, {
        env: { ...env, SLACK_API_URL: `${egress[index]!.url}${slackApi.pathname}` },
        yaml,
        options,
        dir,
        maxSleepMs: o.maxSleepMs ?? 100,
      }),
    ),
  );
  const router = await startRoundRobinRouter(() => instances.map((i) => (i.alive ? i.url : null)));
  const pdb = await openPostgresDb(db.url, { max: 4 });
  await migrate(pdb);
  const store = createStoreFromDb(pdb);
  const driverFor = (baseUrl: string) =>
    new SlackDriver({ baseUrl, signingSecret: SIGNING_SECRET, responseBase: slack.url });
  return {
    instances,
    router,
    driver: driverFor(router.url),
    direct: (i) => driverFor(instances[i]!.url),
    slackCallsBy: (i) => egress[i]!.requests.map((r) => r.path),
    slack,
    heroku,
    github,
    capecraft,
    shas,
    store,
    async kill(i) {
      const inst = instances[i]!;
      inst.alive = false;
      const exited = new Promise((r) => inst.child.once('exit', r));
      inst.child.kill('SIGKILL');
      await exited;
    },
    logs: (i) =>
      readFileSync(instances[i]!.logFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    async stop() {
      await Promise.all(instances.map((i) => stopInstance(i)));
      await router.close();
      for (const e of egress) await e.close();
      await store.close().catch(() => undefined);
      await db.drop();
      await Promise.all([slack.close(), github.close(), heroku.close(), capecraft.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function spawnInstance(
  index: number,
  o: { env: Record<string, string>; yaml: string; options: object; dir: string; maxSleepMs: number },
): Promise<Instance> {
  const logFile = join(o.dir, `instance-${index}.log`);
  const job = JSON.stringify({ env: o.env, yaml: o.yaml, logFile, options: o.options, maxSleepMs: o.maxSleepMs });
  const child = spawn(process.execPath, ['--import', 'tsx', INSTANCE_SCRIPT, job], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => resolve((JSON.parse(l) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`instance ${index} exited (${code}) before listening`)));
  });
  return { index, url, child, logFile, alive: true };
}

async function stopInstance(i: Instance): Promise<void> {
  if (i.child.exitCode !== null || i.child.signalCode !== null) return;
  const exited = new Promise((r) => i.child.once('exit', r));
  i.child.kill('SIGTERM');
  const timer = setTimeout(() => i.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
