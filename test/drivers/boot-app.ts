import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import type { Clock } from '../../src/ports/clock.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { startFakeHeroku, type FakeHeroku, type SeedApp } from '../fakes/fake-heroku-api.ts';
import { startFakeGitHub, type FakeGitHub } from '../fakes/fake-github-api.ts';
import { SlackDriver } from './slack-driver.ts';
import { FakeSlackSocket } from '../fakes/fake-slack-socket.ts';
import { trackApp, untrackApp } from '../support/live-apps.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token-0000';
export const APP_TOKEN = 'xapp-1-A0469A3MM9D-0000-test';

/** Users of the default test config: three operators, a viewer, an admin. */
export const USERS = { ana: 'UANA0001', ben: 'UBEN0002', cy: 'UCY00003', vic: 'UVIC0004', ada: 'UADA0005' } as const;

export interface BootOptions {
  /** Replaces the default YAML config. */
  configYaml?: string;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** Base URLs of the running apps (health checks, /openapi.json); default unreachable. */
  baseUrls?: { staging?: string; production?: string };
  /** Reuse fakes (e.g. across a restart). */
  slack?: FakeSlackApi;
  heroku?: FakeHeroku;
  github?: FakeGitHub;
  /** Heroku apps to seed when a new fake Heroku is started. */
  herokuApps?: SeedApp[];
  clock?: Clock;
  /** Where the SQLite file lives (reuse it to simulate a restart). */
  sqlitePath?: string;
  /** Use PostgreSQL at this URL instead of SQLite. */
  databaseUrl?: string;
  /** Workflow poll interval (deploys, backups, health); tests make it a few ms. */
  pollMs?: number;
  /** Run in Socket Mode against a fake Socket Mode server (SLACK_APP_TOKEN, no signing secret). */
  socketMode?: boolean;
  /** Home tab pacing (default: tests' fast pacing). */
  homePacing?: import('../../src/services/home/home-refresher.ts').HomePacing;
  /** Heroku adapter tuning (e.g. a short request timeout for the late-answer tests). */
  herokuAdapter?: import('../../src/app.ts').AppOptions['heroku'];
  /** Waits before each read-back of an unanswered flag PATCH; default a few ms. */
  flagReadbackWaitsMs?: readonly number[];
  /** Extra app options (workflow poll intervals, …). */
  appOptions?: Partial<import('../../src/app.ts').AppOptions>;
  /** How long stop() waits for in-flight Slack work (src/shutdown.ts). */
  shutdownGraceMs?: number;
}

export interface BootedApp {
  app: App;
  url: string;
  slack: FakeSlackApi;
  heroku: FakeHeroku;
  github: FakeGitHub;
  driver: SlackDriver;
  /** The fake Socket Mode server (socketMode boots only). */
  socket: FakeSlackSocket | null;
  sqlitePath: string;
  /** Everything the app logged, as parsed JSON lines. */
  logs: Record<string, unknown>[];
  /** Stop this app (not the fakes) and boot a fresh one on the same database and fakes. */
  restart(): Promise<BootedApp>;
  /** Stop the app and the fakes it started, and delete the temp database. */
  stop(): Promise<void>;
}

export function defaultConfigYaml(baseUrls: BootOptions['baseUrls'] = {}): string {
  return `
environments:
  - name: staging
    aliases: [stage, autorisen]
    heroku_app: autorisen
    github_repo: capecraft/capecraft
    branch: main
    base_url: ${baseUrls.staging ?? 'http://127.0.0.1:9'}
    verify_seconds: 5
    deploy_channel: CDEPLOYSTG
  - name: production
    aliases: [prod, capecraft]
    heroku_app: capecraft
    github_repo: capecraft/capecraft
    branch: main
    base_url: ${baseUrls.production ?? 'http://127.0.0.1:9'}
    verify_seconds: 5
    production: true
    deploy_channel: CDEPLOYPRD
roles:
  default: viewer
  users:
    ${USERS.ana}: operator
    ${USERS.ben}: operator
    ${USERS.cy}: operator
    ${USERS.vic}: viewer
    ${USERS.ada}: admin
approvals:
  ttl_minutes: 30
announce_channel: CROLLOUT
alerts:
  default_channel: CALERTS
`;
}

/** The default Heroku apps: staging and production with the flag off and a couple of releases. */
export function defaultHerokuApps(): SeedApp[] {
  return [
    {
      name: 'autorisen',
      configVars: { FEATURE_AUTORISEN: 'false' },
      releases: [{ description: 'Initial release' }, { description: 'Deploy 1111111' }],
    },
    {
      name: 'capecraft',
      configVars: { FEATURE_AUTORISEN: 'false' },
      releases: [{ description: 'Initial release' }, { description: 'Deploy 1111111' }],
    },
  ];
}

/**
 * Boot the real app in HTTP mode against fake Slack, Heroku and GitHub servers on 127.0.0.1, with a
 * driver that sends really signed Slack requests to it.
 */
export async function bootApp(opts: BootOptions = {}): Promise<BootedApp> {
  const ownSlack = !opts.slack;
  const ownHeroku = !opts.heroku;
  const ownGitHub = !opts.github;
  const slack = opts.slack ?? (await FakeSlackApi.start({ token: BOT_TOKEN }));
  const heroku = opts.heroku ?? (await startFakeHeroku({ apps: opts.herokuApps ?? defaultHerokuApps() }));
  const github = opts.github ?? (await startFakeGitHub({ token: 'ghp_testtoken0000' }));
  const ownDir = !opts.sqlitePath && !opts.databaseUrl ? mkdtempSync(join(tmpdir(), 'autorisen-app-')) : null;
  const sqlitePath = opts.sqlitePath ?? join(ownDir ?? tmpdir(), 'bot.db');

  const socket = opts.socketMode ? await FakeSlackSocket.start({ slack, appToken: APP_TOKEN }) : null;
  const env: Record<string, string> = {
    PORT: '0',
    SLACK_BOT_TOKEN: BOT_TOKEN,
    ...(socket ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
    SLACK_API_URL: slack.apiUrl,
    HEROKU_API_KEY: heroku.apiKey,
    HEROKU_API_URL: heroku.url,
    HEROKU_DATA_API_URL: heroku.dataUrl,
    GITHUB_TOKEN: github.token ?? 'ghp_testtoken0000',
    GITHUB_API_URL: github.url,
    SQLITE_PATH: sqlitePath,
    LOG_LEVEL: 'debug',
    ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}),
    ...opts.env,
  };
  const yaml = opts.configYaml ?? defaultConfigYaml(opts.baseUrls);
  const config = loadConfig(env, () => yaml);
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n'))
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const logger = createLogger(config, sink as never);
  const app = await createApp(config, {
    logger,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.pollMs !== undefined ? { workflows: { pollMs: opts.pollMs } } : {}),
    ...(opts.herokuAdapter ? { heroku: opts.herokuAdapter } : {}),
    flagReadbackWaitsMs: opts.flagReadbackWaitsMs ?? [0, 20, 50],
    ...(opts.shutdownGraceMs !== undefined ? { shutdownGraceMs: opts.shutdownGraceMs } : {}),
    slackChat: { postIntervalMs: 0 },
    // octokit's throttling spaces GitHub writes 1 s apart and retries 5xx after seconds; tests need neither.
    github: { throttle: false, retries: 1, retryBaseMs: 1 },
    // A reconnect waits clientPingTimeout (5 s by default); 2 s keeps tests quick yet tolerant of a busy machine.
    socketMode: { clientPingTimeoutMs: 2000 },
    homePacing: opts.homePacing ?? { perMinute: 6000, perUserMs: 0, coalesceMs: 20 },
    // Slack's 1 post/s per channel made each alert test wait a second per post; the pacing itself is
    // covered with the worker's own options (alert-flows, alert-slack-gone, slack-pacer tests).
    alertDelivery: { postIntervalMs: 20, updateIntervalMs: 20 },
    ...opts.appOptions,
  });
  const { url } = await app.start();
  const driver = new SlackDriver({
    baseUrl: url!,
    signingSecret: SIGNING_SECRET,
    responseBase: slack.url,
    onTrigger: (id, user, team) => slack.views.issue(id, user, team),
  });

  const booted: BootedApp = {
    app,
    url: url!,
    slack,
    heroku,
    github,
    driver,
    socket,
    sqlitePath,
    logs,
    async restart() {
      await app.stop();
      return bootApp({ ...opts, slack, heroku, github, sqlitePath });
    },
    async stop() {
      untrackApp(booted);
      await app.stop().catch(() => undefined);
      if (socket) await socket.close();
      if (ownSlack) await slack.close();
      if (ownHeroku) await heroku.close();
      if (ownGitHub) await github.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
  trackApp(booted);
  return booted;
}
