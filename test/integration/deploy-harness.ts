import { createServer, type Server } from 'node:http';
import { listenLocal } from '../fakes/fake-http-io.ts';
import { bootApp, defaultConfigYaml, USERS, type BootedApp } from '../drivers/boot-app.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';
import type { StoredMessage } from '../fakes/fake-slack-api.ts';
import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { releasedOn } from '../../src/services/deploys/run-history.ts';

/**
 * The deploy world for end-to-end tests: the real app (boot-app) against fake Slack, Heroku and
 * GitHub, a seeded repository whose commits the Heroku releases refer to, and a tiny local HTTP
 * server standing in for the deployed app's health URL.
 */
export const REPO = 'capecraft/capecraft';
export const CHANNEL = 'CDEPLOYS1';

export interface HealthServer {
  url: string;
  /** What /healthz answers now. */
  status: number;
  hits: number;
  close(): Promise<void>;
}

export async function startHealthServer(): Promise<HealthServer> {
  const h: HealthServer = { url: '', status: 200, hits: 0, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    h.hits += 1;
    res.writeHead(req.url === '/healthz' ? h.status : 404, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  Object.assign(h, await listenLocal(server));
  return h;
}

export interface DeployWorld {
  b: BootedApp;
  github: FakeGitHub;
  health: HealthServer;
  /** base: what both apps run; head: main, two commits later (one destructive migration). */
  shas: { base: string; additive: string; head: string };
  stop(): Promise<void>;
}

const ADDITIVE = `revision = "0002"\n\ndef upgrade():\n    op.create_table("widgets", sa.Column("id", sa.Integer))\n\n\ndef downgrade():\n    op.drop_table("widgets")\n`;
const DESTRUCTIVE = `revision = "0003"\n\ndef upgrade():\n    op.drop_column("users", "legacy")\n\n\ndef downgrade():\n    pass\n`;

/**
 * Boot the world. Timings are a few ms so polling tests finish fast (they never assert durations).
 * `databaseUrl` runs the app on PostgreSQL instead of a temp SQLite file.
 */
export async function bootDeployWorld(
  opts: { databaseUrl?: string; configYaml?: (yaml: string) => string } = {},
): Promise<DeployWorld> {
  const github = await startFakeGitHub({ token: 'ghp_testtoken0000' });
  github.addRepo(REPO);
  const base = github.commit(REPO, {
    message: 'Initial app',
    author: { login: 'carol', name: 'Carol' },
    files: {
      'app.py': 'print(1)\n',
      'migrations/versions/0001_init.py': 'def upgrade():\n    op.create_table("users")\n',
    },
  });
  const additive = github.commit(REPO, {
    message: 'Add widgets table',
    author: { login: 'alice', name: 'Alice' },
    files: { 'migrations/versions/0002_add_widgets.py': ADDITIVE },
  });
  const head = github.commit(REPO, {
    message: 'Drop legacy column',
    author: { login: 'bob', name: 'Bob' },
    files: { 'migrations/versions/0003_drop_legacy.py': DESTRUCTIVE },
  });
  const health = await startHealthServer();
  const releases = [{ description: 'Initial release' }, { description: `Deploy ${base.slice(0, 7)}` }];
  const yaml = defaultConfigYaml({ staging: health.url, production: health.url }).replace(
    /verify_seconds: 5/g,
    'verify_seconds: 1',
  );
  const b = await bootApp({
    github,
    configYaml: opts.configYaml ? opts.configYaml(yaml) : yaml,
    herokuApps: [
      { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false' }, releases },
      { name: 'capecraft', configVars: { FEATURE_AUTORISEN: 'false' }, releases },
    ],
    pollMs: 5,
    ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
  });
  const world: DeployWorld = {
    b,
    github,
    health,
    shas: { base, additive, head },
    async stop() {
      // A test may have restarted the app (world.b): stop that one too, not only the first, which
      // owns the fakes and the database file.
      if (world.b !== b) await world.b.stop();
      await b.stop();
      await github.close();
      await health.close();
    },
  };
  return world;
}

/** Poll until `fn` gives a truthy value (real time; nothing asserts how long it took). */
export async function until<T>(
  fn: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A deploy or rollback run as the tests read it (the workflow row, in a deploy's words). */
export interface DeployView {
  id: string;
  kind: 'deploy' | 'rollback';
  state: 'running' | 'succeeded' | 'failed';
  sha: string | null;
  previousVersion: number | null;
  targetVersion: number | null;
  releaseVersion: number | null;
  backup: boolean;
  backupName: string | null;
  buildId: string | null;
  error: string | null;
  requesterId: string;
  approvalId: string | null;
  approverId: string | null;
  statusChannel: string | null;
  statusTs: string | null;
  lockToken: string | null;
}

export function viewOf(run: WorkflowRun): DeployView {
  const i = run.input as Record<string, unknown>;
  const env = String(i.env);
  return {
    id: run.id,
    kind: run.workflow as DeployView['kind'],
    state:
      run.state === 'done' ? 'succeeded' : run.state === 'running' || run.state === 'waiting' ? 'running' : 'failed',
    sha: (i.sha as string | null) ?? null,
    previousVersion: (i.previousVersion as number | null) ?? null,
    targetVersion: (i.targetVersion as number | null) ?? null,
    releaseVersion: releasedOn(run, env),
    backup: i.backup === true,
    backupName: ((run.data[`backup-${env}`] as { name?: string } | undefined)?.name ?? null) as string | null,
    buildId: ((run.scratch.buildId as string | undefined) ??
      (run.data[`build-${env}`] as { buildId?: string } | undefined)?.buildId ??
      null) as string | null,
    error: run.error,
    requesterId: run.requesterId,
    approvalId: (i.approvalId as string | null) ?? null,
    approverId: (i.approverId as string | null) ?? null,
    statusChannel: run.statusChannel,
    statusTs: run.statusTs,
    lockToken: run.lockToken,
  };
}

/** The newest deploy or rollback of `env`, as a view; null when there is none. */
export async function latestChange(b: BootedApp, env: string): Promise<DeployView | null> {
  const runs = await b.app.store.workflows.latest({ workflow: null, env, limit: 10 });
  const run = runs.find((r) => r.workflow === 'deploy' || r.workflow === 'rollback');
  return run ? viewOf(run) : null;
}

/**
 * The latest deploy of an env once it has stopped and its last effect is out: the state is
 * persisted first (exactly once), then GitHub, the lock and the notices follow, the thread's last
 * line (":x: <step> failed: …" with its offers, or "Finished") being the very last.
 */
export function finished(b: BootedApp, env: string): Promise<DeployView> {
  return until(async () => {
    const d = await latestChange(b, env);
    if (!d || d.state === 'running') return null;
    const last = messages(b).some((m) => m.threadTs === d.statusTs && /Finished:| failed: /.test(textOf(m)));
    return last ? d : null;
  }, `a finished deploy in ${env}`);
}

/** Every button in a stored message's blocks. */
export function buttonsOf(m: StoredMessage | undefined): { action_id: string; value: string }[] {
  const out: { action_id: string; value: string }[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.action_id === 'string' && typeof o.value === 'string')
        out.push({ action_id: o.action_id, value: o.value });
      Object.values(o).forEach(walk);
    }
  };
  walk(m?.blocks);
  return out;
}

/** All text of a stored message (fallback text and blocks). */
export function textOf(m: StoredMessage | undefined): string {
  return `${m?.text ?? ''}\n${JSON.stringify(m?.blocks ?? null)}`;
}

export function messages(b: BootedApp): StoredMessage[] {
  return [...b.slack.messages.values()];
}

/** Ask for a change and approve it as another operator; returns the approval message. */
export async function requestAndApprove(
  b: BootedApp,
  text: string,
  requester: string = USERS.ana,
  approver: string = USERS.ben,
): Promise<StoredMessage> {
  const before = new Set(b.slack.messages.keys());
  const res = await b.driver.command(text, { userId: requester, channelId: CHANNEL });
  await b.slack.waitForResponses(1, res.responseId);
  const approval = await until(
    () =>
      messages(b).find(
        (m) => !before.has(`${m.channel}/${m.ts}`) && buttonsOf(m).some((x) => x.action_id === 'autorisen:approve'),
      ),
    `approval message for "${text}"`,
  );
  const id = buttonsOf(approval).find((x) => x.action_id === 'autorisen:approve')!.value;
  await b.driver.click({
    actionId: 'autorisen:approve',
    value: id,
    userId: approver,
    channelId: CHANNEL,
    messageTs: approval.ts,
  });
  return approval;
}

/** Put production's release `version` in the bot's flag history with `flagValue` (as if the bot had seen or made it). */
export async function recordProductionFlag(
  b: BootedApp,
  version: number,
  flagValue: string | null,
  by: { source: 'seen' | 'flag'; actor: string | null } = { source: 'seen', actor: null },
): Promise<void> {
  const r = b.heroku.app('capecraft').releases.find((x) => x.version === version)!;
  await b.app.store.releases.record({
    env: 'production',
    app: 'capecraft',
    version,
    releaseId: r.id,
    flagValue,
    flagKnown: true,
    ...by,
    description: r.description,
    at: Date.now(),
  });
}
