import type { Config } from '../config.ts';
import type { Shell } from '../dev/shell.ts';
import type { ChatPort } from '../ports/chat.ts';
import type { Clock } from '../ports/clock.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import { createDriftDigest, type DriftDigest } from '../services/drift/drift-digest.ts';
import { createLockQueueService, type LockQueueService } from '../services/locks/lock-queue-service.ts';
import { observeLockReleases } from '../services/locks/observe-lock-releases.ts';
import type { ActionHandler, Dispatcher } from '../core/transport.ts';
import type { Ids } from '../ports/clock.ts';
import type { Ports } from '../services/context.ts';
import { SCHEDULE_SWEEP_MS, type ScheduleRuntime, wireSchedules } from './schedule-wiring.ts';

/** How often lock queues look for locks that expired or were released by another instance. */
export const LOCK_QUEUE_SWEEP_MS = 30_000;
/** How often the drift digest looks at the clock (it posts once a day, at the configured time). */
export const DRIFT_TICK_MS = 60_000;

/** The digest's defaults (src/config/drift-schema.ts), for the shell's `/drift` without a `drift:` section. */
const SHELL_DRIFT = { minuteOfDay: 9 * 60, channel: null, afterDays: 2, lockedHours: 24 };

/** Team operations (issue 23): lock queues, the daily drift digest, scheduled flag changes. */
export interface TeamOps {
  readonly lockQueue: LockQueueService;
  /** Scheduled flag changes (§1); its sweep runs on a timer, tests call it. */
  readonly schedules: ScheduleRuntime;
  /** Null without a `drift:` section in the config. */
  readonly drift: DriftDigest | null;
}

export interface TeamOpsTimings {
  /** 0 = no timer (tests call ops.lockQueue.sweep). */
  lockQueueSweepMs?: number | undefined;
  /** 0 = no timer (tests call ops.drift.tick). */
  driftTickMs?: number | undefined;
  /** 0 = no timer (tests call ops.schedules.sweep). */
  scheduleSweepMs?: number | undefined;
}

/**
 * Wire team operations around the store: `observe` wraps it so every lock release reaches the lock
 * queue; `start` builds the digest on the vendor ports and runs the sweeps (a first one at once:
 * locks that expired while no instance ran, a digest due while none was up).
 */
export function wireTeamOps(deps: {
  clock: Clock;
  log: Logger;
  ids: Ids;
  chat: () => ChatPort;
  /** What exists once the app is wired: the command ports, the dispatcher and the button handlers. */
  live: () => { ports: Ports; dispatcher: Dispatcher; actionHandlers: ActionHandler[] };
}): TeamOps & {
  observe(store: Store): Store;
  start(
    timers: NodeJS.Timeout[],
    o: TeamOpsTimings,
    v: { config: Config; heroku: HerokuPort; github: GitHubPort; shell: Shell | null },
  ): void;
} {
  let store: Store | null = null;
  let lockQueue: LockQueueService | null = null;
  let drift: DriftDigest | null = null;
  let schedules: ScheduleRuntime | null = null;
  const need = <T>(x: T | null): T => {
    if (x === null) throw new Error('team operations are used before the store is wired');
    return x;
  };
  const { clock, log, chat } = deps;
  return {
    get lockQueue() {
      return need(lockQueue);
    },
    get drift() {
      return drift;
    },
    get schedules() {
      return need(schedules);
    },
    observe(s) {
      store = observeLockReleases(s, (env) => void lockQueue?.released(env, clock.now()));
      lockQueue = createLockQueueService({ store, chat, clock, log });
      return store;
    },
    start(timers, o, v) {
      const queue = need(lockQueue);
      const every = (ms: number, fn: () => unknown) => ms > 0 && timers.push(setInterval(fn, ms).unref());
      void queue.sweep();
      every(o.lockQueueSweepMs ?? LOCK_QUEUE_SWEEP_MS, () => void queue.sweep());
      const live = deps.live();
      const sched = wireSchedules(
        { ...deps, store: need(store), heroku: live.ports.heroku, config: v.config, instanceId: deps.ids.next() },
        { ports: live.ports, actionHandlers: live.actionHandlers, dispatcher: () => deps.live().dispatcher },
      );
      schedules = sched;
      void sched.sweep();
      every(o.scheduleSweepMs ?? SCHEDULE_SWEEP_MS, () => void sched.sweep());
      // The shell previews a digest (`/drift`) even without a `drift:` section, with its defaults.
      const settings = v.config.drift ?? (v.shell ? SHELL_DRIFT : null);
      const channel = settings?.channel ?? v.config.announceChannel ?? (v.shell ? 'CSHELL' : null);
      if (!settings || !channel) return;
      const digest = createDriftDigest({
        ...v,
        store: need(store),
        environments: v.config.environments,
        rollout: v.config.release,
        settings,
        channel,
        clock,
        log,
        chat,
      });
      drift = digest;
      // The shell sandbox: `/drift [days]` shows what a digest says now (days: drifting at least that long).
      v.shell?.addCommand('/drift', async (args) => {
        const days = args.trim() === '' ? undefined : Number(args.trim());
        if (days !== undefined && !(days >= 0))
          return 'Usage: /drift [days], e.g. /drift 0 to see everything that differs now.';
        const message = await digest.preview(days);
        if (!message)
          return `Nothing has drifted for ${days ?? settings.afterDays} d or more; no digest would be posted.`;
        await chat().post(channel, message);
        return '';
      });
      if (!v.config.drift) return;
      const tick = () => digest.tick().catch((err: unknown) => log.warn({ err }, 'drift digest failed'));
      void tick();
      every(o.driftTickMs ?? DRIFT_TICK_MS, tick);
    },
  };
}
