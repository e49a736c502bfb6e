import type { HttpProbe } from '../services/workflows/types.ts';
import type { LeaseOptions } from '../services/workflows/leases.ts';
import type { Config } from '../config.ts';
import type { HerokuAdapterOptions } from '../adapters/heroku/heroku-adapter.ts';
import type { GitHubAdapterOptions } from '../adapters/github/github-adapter.ts';
import type { Clock, Ids } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import type { CommandDispatcher } from '../services/dispatch/dispatcher.ts';
import type { AlertDeliveryDeps } from '../services/alerts/delivery.ts';
import type { DrainWatch } from '../services/drain/watch.ts';
import type { HomePacing } from '../services/home/home-refresher.ts';

/** How often pending approvals are checked for expiry (the message must say "expired" soon after). */
export const APPROVAL_SWEEP_MS = 30_000;
/** How often Home viewers who stopped looking are forgotten. */
export const HOME_PRUNE_MS = 60 * 60_000;
/** Contract probe runs older than this are pruned (each environment's newest is kept). */
export const PROBE_RUN_RETENTION_MS = 90 * 24 * 60 * 60_000;

export interface AppOptions {
  logger: Logger;
  clock?: Clock;
  ids?: Ids;
  /** Shell mode only: where to read and write (defaults to the process's stdin/stdout). */
  shellIO?: {
    input: NodeJS.ReadableStream & import('node:stream').Readable;
    output: import('node:stream').Writable;
    interactive: boolean;
  };
  /** Shell mode: the environments came from autorisen.config.example.yml because no config file was found. */
  exampleConfig?: boolean;
  /** The shell sandbox opened a database for this run only (no SQLITE_PATH): runs and locks end with it. */
  freshDatabase?: boolean;
  /** Waits before each read-back of an unanswered flag PATCH (tests shorten them). */
  flagReadbackWaitsMs?: readonly number[];
  /** Override the expiry sweep interval (tests). */
  approvalSweepMs?: number;
  /** Slack chat options (tests turn per-channel pacing off and shorten retries). */
  slackChat?: import('../adapters/slack/chat.ts').SlackChatOptions;
  /** Adapter tuning (tests shorten timeouts and retries). */
  heroku?: HerokuAdapterOptions;
  github?: Partial<GitHubAdapterOptions>;
  /**
   * Workflow poll intervals (tests make them small), the HTTP probe (the sandbox simulates it) and
   * run leases (how soon a live instance takes over a killed one's runs); a bake minute's length (tests).
   */
  workflows?: { pollMs?: number; bakePollMs?: number; bakeMinuteMs?: number; http?: HttpProbe; lease?: LeaseOptions };
  /** Alert delivery worker tuning (tests poll faster). */
  alertDelivery?: AlertDeliveryDeps['options'];
  /** Socket Mode client timings (tests make the reconnect delay short). */
  socketMode?: { clientPingTimeoutMs?: number; serverPingTimeoutMs?: number };
  /** views.publish pacing for the Home tab (tests shorten the per-user gap). */
  homePacing?: HomePacing;
  /** How often Home looks for changes made by other instances (tests make it short). */
  homePeerPollMs?: number;
  /** Log drain thresholds/follow-ups/retention sweep interval (tests); 0 = no timer (call drainWatch.sweep). */
  drainSweepMs?: number;
  /** Guard look interval (tests); 0 = no timer (call guard.sweep). Default: the shortest look_seconds. */
  guardLookMs?: number;
  /** How long stop() waits for in-flight Slack work (src/shutdown.ts; default SHUTDOWN_GRACE_MS). */
  shutdownGraceMs?: number;
  /** Lock queue sweep interval (expired locks; issue 23 §3); 0 = none (tests call ops.lockQueue.sweep). */
  lockQueueSweepMs?: number;
  /** How often the drift digest looks at the clock (issue 23 §4); 0 = none (tests call ops.drift.tick). */
  driftTickMs?: number;
  /** How often break-glass reviews look for due reminders (issue 23 §2); 0 = none (tests call breakGlass.sweep). */
  breakGlassSweepMs?: number;
  /** How often scheduled flag changes are looked at (issue 23 §1); 0 = none (tests call ops.schedules.sweep). */
  scheduleSweepMs?: number;
}

export interface App {
  readonly config: Config;
  readonly store: Store;
  readonly dispatcher: CommandDispatcher;
  /** Log drain thresholds → alerts, before/after follow-ups, retention (issue 12). */
  readonly drainWatch: DrainWatch;
  /** Team operations: lock queues, the drift digest and scheduled flag changes (issue 23). */
  readonly ops: import('./ops-wiring.ts').TeamOps;
  /** Guarded rollouts: guards on flag flips, looked at on a timer (issue 21). */
  readonly guard: import('../services/guard/guard-wiring.ts').GuardRuntime;
  /** Break-glass: the dispatcher the transports use, and its review reminders (issue 23 §2). */
  readonly breakGlass: import('./break-glass-wiring.ts').BreakGlassRuntime;
  /** Start serving. HTTP mode resolves with the listening URL; shell mode resolves when input ends. */
  start(): Promise<{ url: string | null }>;
  /** Graceful stop: stop taking work, finish what runs, close the database. */
  stop(): Promise<void>;
}
