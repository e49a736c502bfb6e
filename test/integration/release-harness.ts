import { createServer, type Server } from 'node:http';
import { listenLocal } from '../fakes/fake-http-io.ts';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';
import { startFakeHeroku, type FakeHeroku } from '../fakes/fake-heroku-api.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { SECRETS } from './alert-harness.ts';
import { buttonsOf, messages, textOf, until } from './deploy-harness.ts';

export const REPO = 'capecraft/capecraft';
export const CHANNEL = 'CRELEASE';
export const PROBE_TOKEN = 'probe-token-0000';

/** A clock tests move: sleep advances it, after an awaited hook (time stands still while a person is asked). */
export class HookClock implements Clock {
  current = Date.now();
  /** Set while the app restarts: hooks let go so the old process can stop. */
  stopping = false;
  hook: (ms: number) => Promise<void> = async () => undefined;
  now(): number {
    return this.current;
  }
  async sleep(ms: number): Promise<void> {
    await this.hook(ms);
    this.current += ms;
    await new Promise((r) => setImmediate(r));
  }
}

/** The deployed app as probes see it: health, the live spec, and the namespaced routes behind the flag. */
export interface FakeCapecraft {
  url: string;
  flagOn: boolean;
  health: number;
  spec: unknown;
  hits: string[];
  close(): Promise<void>;
}

export async function startCapecraft(spec: unknown): Promise<FakeCapecraft> {
  const app: FakeCapecraft = { url: '', flagOn: false, health: 200, spec, hits: [], close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    app.hits.push(`${path}${req.headers.authorization ? ' (token)' : ''}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/healthz') return json(app.health, { ok: app.health === 200 });
    if (path === '/openapi.json') return json(200, app.spec);
    if (path === '/api/autorisen/health')
      return app.flagOn ? json(200, { ok: true }) : json(404, { detail: 'Not Found' });
    if (path === '/api/autorisen/me')
      return req.headers.authorization === `Bearer ${PROBE_TOKEN}`
        ? json(200, { id: 1 })
        : json(401, { detail: 'Not authenticated' });
    return json(404, { detail: 'Not Found' });
  });
  Object.assign(app, await listenLocal(server));
  return app;
}

/** An OpenAPI document with the given paths (each a GET answering 200 with an object). */
export function spec(paths: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const ops: Record<string, unknown> = {};
  for (const [p, props] of Object.entries(paths))
    ops[p] = {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: props } } },
          },
        },
      },
    };
  return { openapi: '3.1.0', info: { title: 'capecraft', version: '1' }, paths: ops };
}

export const LIVE_SPEC = spec({ '/api/items': { id: { type: 'integer' }, name: { type: 'string' } } });

export const ADDITIVE = `revision = "0002"\n\ndef upgrade():\n    op.create_table("widgets", sa.Column("id", sa.Integer))\n\n\ndef downgrade():\n    op.drop_table("widgets")\n`;
export const DESTRUCTIVE = `revision = "0003"\n\ndef upgrade():\n    op.drop_column("users", "legacy")\n`;

export interface ReleaseWorld {
  b: BootedApp;
  github: FakeGitHub;
  heroku: FakeHeroku;
  capecraft: FakeCapecraft;
  clock: HookClock;
  shas: { base: string; head: string };
  /** Reboot the app on the same database and fakes (a restart). */
  restart(): Promise<void>;
  /** Boot one more instance on the same database and fakes (a second dyno); the caller stops it. */
  another(): Promise<BootedApp>;
  stop(): Promise<void>;
}

export interface WorldOptions {
  /** Files of the head commit (default: an additive migration and the live spec plus a namespaced path). */
  headFiles?: Record<string, string>;
  /** Put both apps in one pipeline (default true). */
  pipeline?: boolean;
  green?: boolean;
  /** Extra top-level YAML (e.g. a `tasks:` section). */
  extraYaml?: string;
  /** Task names for `release.tasks`. */
  releaseTasks?: string[];
  /** PostgreSQL instead of the SQLite file (e.g. a freshAppSchema url). */
  databaseUrl?: string;
}

const CONFIG_EXTRA = `
probes:
  staging:
    - { path: /api/autorisen/health, expect: 200, when_flag: 'on' }
    - { path: /api/autorisen/health, expect: 404, when_flag: 'off' }
    - { path: /api/autorisen/me, expect: 401 }
    - { path: /api/autorisen/me, expect: 200, token_env: PROBE_TOKEN }
  production:
    - { path: /api/autorisen/health, expect: 404, when_flag: 'off' }
    - { path: /api/autorisen/me, expect: 401 }
release:
  staging_bake_minutes: 10
  production_bake_minutes: 30
`;

/** The release world's vendors: GitHub with a base and a green head commit, Heroku's two apps (in one pipeline), the deployed app; and its config. */
export async function startReleaseVendors(o: WorldOptions = {}) {
  const github = await startFakeGitHub({ token: 'ghp_testtoken0000' });
  github.addRepo(REPO);
  const base = github.commit(REPO, {
    message: 'Initial app',
    author: { login: 'carol', name: 'Carol' },
    files: {
      'openapi.json': JSON.stringify(LIVE_SPEC),
      'migrations/versions/0001_init.py': 'def upgrade():\n    op.create_table("users")\n',
    },
  });
  const nextSpec = spec({
    '/api/items': { id: { type: 'integer' }, name: { type: 'string' } },
    '/api/autorisen/health': { ok: { type: 'boolean' } },
  });
  const head = github.commit(REPO, {
    message: 'Autorisen health route',
    author: { login: 'alice', name: 'Alice' },
    files: o.headFiles ?? {
      'openapi.json': JSON.stringify(nextSpec),
      'migrations/versions/0002_add_widgets.py': ADDITIVE,
    },
  });
  if (o.green !== false)
    github.setChecks(
      REPO,
      head,
      [{ name: 'test', status: 'completed', conclusion: 'success' }],
      [{ context: 'ci/lint', state: 'success' }],
    );
  const releases = [{ description: 'Initial release' }, { description: `Deploy ${base.slice(0, 7)}` }];
  const heroku = await startFakeHeroku({
    apps: [
      { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false' }, releases },
      { name: 'capecraft', configVars: { FEATURE_AUTORISEN: 'false' }, releases },
    ],
  });
  heroku.buildBehaviour = { ...heroku.buildBehaviour, afterPolls: 2 };
  if (o.pipeline !== false) {
    heroku.couple('autorisen', 'pipe-1', 'staging');
    heroku.couple('capecraft', 'pipe-1', 'production');
  }
  const capecraft = await startCapecraft(LIVE_SPEC);
  const yaml =
    defaultConfigYaml({ staging: capecraft.url, production: capecraft.url }).replace(
      /verify_seconds: 5/g,
      'verify_seconds: 1',
    ) +
    CONFIG_EXTRA +
    (o.releaseTasks ? `  tasks: [${o.releaseTasks.join(', ')}]\n` : '') +
    (o.extraYaml ?? '');
  return { github, heroku, capecraft, shas: { base, head }, yaml };
}

export async function bootReleaseWorld(o: WorldOptions = {}): Promise<ReleaseWorld> {
  const { github, heroku, capecraft, shas, yaml } = await startReleaseVendors(o);
  const clock = new HookClock();
  const boot = () =>
    bootApp({
      github,
      heroku,
      configYaml: yaml,
      clock,
      env: { PROBE_TOKEN, ALERTMANAGER_TOKEN: SECRETS.ALERTMANAGER_TOKEN! },
      appOptions: { workflows: { pollMs: 5, bakePollMs: 60_000 } },
      ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
      ...(w?.b ? { sqlitePath: w.b.sqlitePath, slack: w.b.slack } : {}),
    });
  let w: ReleaseWorld | undefined;
  const b = await boot();
  w = {
    b,
    github,
    heroku,
    capecraft,
    clock,
    shas,
    async restart() {
      clock.stopping = true;
      await w!.b.app.stop();
      clock.stopping = false;
      w!.b = await boot();
    },
    another: () => boot(),
    async stop() {
      await w!.b.stop();
      await w!.b.slack.close().catch(() => undefined);
      await github.close();
      await heroku.close();
      await capecraft.close();
    },
  };
  // Time stands still while a person is being asked: a pending gate approval blocks the clock.
  clock.hook = () => holdWhileAsked(w!);
  return w;
}

/** The default clock hook: time stands still while the gate's approval is pending (or until a restart). */
export async function holdWhileAsked(w: ReleaseWorld): Promise<void> {
  await until(async () => w.clock.stopping || !(await gatePending(w.b)), 'the gate approval to be decided', 20_000);
}

/** The step the latest release is at (its name), or null. */
export async function currentStep(w: ReleaseWorld): Promise<number | null> {
  const [run] = await w.b.app.store.workflows.latest({ workflow: 'release', env: null, limit: 1 });
  return run ? run.stepIndex : null;
}

/** True while the latest release waits at its gate and the approval is still pending. */
async function gatePending(b: BootedApp): Promise<boolean> {
  const [run] = await b.app.store.workflows.latest({ workflow: 'release', env: null, limit: 1 });
  if (run?.state !== 'waiting' || run.waitingFor !== 'approved') return false;
  const id = run.scratch.approvalId;
  if (typeof id !== 'string') return false;
  return (await b.app.store.approvals.get(id))?.state === 'pending';
}

/** The latest release run once it is in one of `states`. */
export function releaseIn(
  b: () => BootedApp,
  states: WorkflowRun['state'][],
  timeoutMs = 20_000,
): Promise<WorkflowRun> {
  return until(
    async () => {
      const [run] = await b().app.store.workflows.latest({ workflow: 'release', env: null, limit: 1 });
      return run && states.includes(run.state) ? run : null;
    },
    `a release in ${states.join('/')}`,
    timeoutMs,
  );
}

/** The gate's approval message, once posted. */
export function gateMessage(b: BootedApp) {
  return until(
    () => messages(b).find((m) => buttonsOf(m).some((x) => x.action_id === 'autorisen:approve')),
    'the gate approval',
  );
}

/** Click Approve on the gate as `approver`. */
export async function approveGate(b: BootedApp, approver: string = USERS.ben): Promise<void> {
  const m = await gateMessage(b);
  const id = buttonsOf(m).find((x) => x.action_id === 'autorisen:approve')!.value;
  await b.driver.click({
    actionId: 'autorisen:approve',
    value: id,
    userId: approver,
    channelId: CHANNEL,
    messageTs: m.ts,
  });
}

/** The latest run once it stopped, with its thread's offer message (the one with buttons): text and `action:value`s. */
export async function offer(w: ReleaseWorld) {
  const run = await releaseIn(() => w.b, ['failed', 'faulty']);
  const m = await until(
    () => messages(w.b).find((x) => x.threadTs === run.statusTs && buttonsOf(x).length > 0),
    'the offer in the thread',
  );
  return { run, text: textOf(m), actions: buttonsOf(m).map((b) => `${b.action_id}:${b.value}`) };
}
