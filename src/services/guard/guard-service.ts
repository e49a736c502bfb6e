import type { Config, EnvironmentConfig } from '../../config.ts';
import type { GuardEnvConfig } from '../../config/guard-schema.ts';
import { actorMention } from '../../core/guard/actor.ts';
import { md } from '../../core/mrkdwn.ts';
import { detect } from '../../core/guard/detector.ts';
import type { GuardVerdict } from '../../core/guard/guard-types.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { GuardKind, GuardRecord } from '../../ports/stores/guards.ts';
import type { Store } from '../../ports/store.ts';
import { minuteStart } from '../drain/aggregate.ts';
import { actOnTrip, type GuardActionDeps } from './guard-actions.ts';
import { baselineOf, countsOf } from './guard-counts.ts';
import { tellNewAlerts } from './guard-alerts.ts';
import { laterChange } from './guard-standdown.ts';
import { GuardSay } from './guard-say.ts';

const MINUTE = 60_000;
/** A trip whose action has not finished after this long belongs to a dead instance (the kill switch takes seconds). */
export const TRIP_STALE_MS = 2 * MINUTE;

/** A change to guard: a flag flip (or, later, a deploy/release being baked). */
export interface GuardedChange {
  env: string;
  kind: GuardKind;
  changeKey: string;
  label: string;
  at: number;
  thread: { channel: string; ts: string } | null;
  releaseVersion: number | null;
}

export interface GuardServiceDeps extends GuardActionDeps {
  store: Store;
  config: Pick<Config, 'guard' | 'environments' | 'announceChannel' | 'charts' | 'slack'>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  chat: () => ChatPort | null;
}

/**
 * Guarded rollouts (issue 21): start a guard on a change, look at it every `look_seconds`, and
 * when the detector says regressed, trip it by compare-and-set (one instance wins) and act. Every
 * decision is made from what is persisted (the guard row, the drain minutes, the release history),
 * so a restart or a second instance picks up exactly where the last look left off.
 */
export function createGuardService(deps: GuardServiceDeps) {
  const { store, config, log } = deps;
  const say = new GuardSay(deps);
  const settings = (env: string): GuardEnvConfig | undefined => config.guard.environments.find((e) => e.env === env);

  async function start(change: GuardedChange): Promise<GuardRecord | null> {
    const cfg = settings(change.env);
    if (!cfg?.enabled) return null;
    const action =
      change.kind === 'flag' ? cfg.actions.flagOn : change.kind === 'deploy' ? cfg.actions.deploy : cfg.actions.release;
    const to = minuteStart(change.at);
    const minutes = await store.drainMetrics.minutes(change.env, to - cfg.baselineMinutes * MINUTE, to);
    const g: Omit<GuardRecord, 'version'> = {
      id: deps.ids.next(),
      env: change.env,
      kind: change.kind,
      changeKey: change.changeKey,
      label: change.label,
      action,
      state: 'watching',
      startedAt: change.at,
      endsAt: change.at + cfg.windowMinutes * MINUTE,
      baseline: baselineOf(minutes, cfg.baselineMinutes, cfg.thresholds.metrics),
      thread: change.thread,
      releaseVersion: change.releaseVersion,
      verdict: null,
      note: null,
      lastLookAt: null,
      endedAt: null,
      endedBy: null,
    };
    if (!(await store.guards.create(g))) return null;
    log.info({ env: g.env, change: g.changeKey, action }, 'guard started');
    await say.started({ ...g, version: 1 }, cfg);
    return { ...g, version: 1 };
  }

  /** The detector's verdict on a guard now (reads only). */
  async function verdictOf(g: GuardRecord, now: number): Promise<GuardVerdict | null> {
    const cfg = settings(g.env);
    if (!cfg) return null;
    const from = minuteStart(g.startedAt);
    const minutes = await store.drainMetrics.minutes(g.env, from, minuteStart(now) + MINUTE);
    const span = Math.max(0, (now - from) / MINUTE);
    const { p95Ms, p99Ms } = g.baseline;
    const perMinute = minutes.map((m) => countsOf([m], 1, p95Ms, p99Ms));
    return detect(g.baseline, countsOf(minutes, span, p95Ms, p99Ms), cfg.thresholds, perMinute);
  }

  /** End a guard by compare-and-set; false when someone else moved it first. */
  async function end(
    g: GuardRecord,
    state: 'passed' | 'stood_down' | 'stopped',
    note: string,
    by: string,
    now: number,
  ) {
    const ok = await store.guards.update(g.id, g.version, { state, note, endedAt: now, endedBy: by });
    if (ok) await say.ended({ ...g, state, note }, now);
    return ok;
  }

  /** One look at one guard. Returns what happened, for tests and the logs. */
  async function look(g: GuardRecord, now: number): Promise<string> {
    const cfg = settings(g.env);
    const env = config.environments.find((e) => e.name === g.env);
    if (!cfg || !env)
      return (await end(g, 'stopped', 'the environment is no longer guarded', 'guard', now)) ? 'stopped' : 'lost';
    if (g.state === 'tripped') return resumeTrip(g, env, now);
    if (now >= g.endsAt) {
      const n = `no regression in ${cfg.windowMinutes} min`;
      return (await end(g, 'passed', n, 'guard', now)) ? 'passed' : 'lost';
    }
    // It never fights a person: a newer release (flag flip, deploy, rollback by anyone) ends it.
    const later = await laterChange(store, env, g, now);
    if (later) return (await end(g, 'stood_down', later, 'guard', now)) ? 'stood_down' : 'lost';
    // Blind: a drain silent for blind_minutes is no evidence either way; say so and do not act.
    const recent = await store.drainMetrics.minutes(
      g.env,
      minuteStart(now - cfg.blindMinutes * MINUTE) + MINUTE,
      now + MINUTE,
    );
    if (recent.every((m) => m.requests === 0) && now - g.startedAt >= cfg.blindMinutes * MINUTE) {
      const note = `blind: no drain lines for ${cfg.blindMinutes} min`;
      if (g.note !== note && (await store.guards.update(g.id, g.version, { note, lastLookAt: now })))
        await say.blind(g, note);
      return 'blind';
    }
    const verdict = await verdictOf(g, now);
    if (!verdict) return 'lost';
    if (verdict.status !== 'regressed') await tellNewAlerts(store, say, g, now);
    if (verdict.status !== 'regressed') {
      await store.guards.update(g.id, g.version, { verdict, lastLookAt: now, note: null });
      return verdict.status;
    }
    // A flag change in flight (a person's kill switch, say) is theirs to finish: one PATCH, not two.
    const lock = await store.locks.get(g.env, now);
    if (lock?.kind === 'flag') {
      // The lock's reason is typed text: escaped here, since the note is posted as it is.
      const note = md`standing down: ${actorMention(lock.holderId)} is changing the flag (${lock.reason})`;
      return (await end(g, 'stood_down', note, 'guard', now)) ? 'stood_down' : 'lost';
    }
    // Exactly one instance trips it: the compare-and-set from this version.
    if (!(await store.guards.update(g.id, g.version, { state: 'tripped', verdict, lastLookAt: now }))) return 'lost';
    return finishTrip({ ...g, state: 'tripped', verdict, lastLookAt: now, version: g.version + 1 }, env, now);
  }

  /**
   * A guard left `tripped` by an instance that died before finishing its action: after
   * TRIP_STALE_MS another instance claims it (compare-and-set) and runs the action again. The kill
   * switch is safe to repeat (an "off" flag is a no-op) and is read back either way.
   */
  async function resumeTrip(g: GuardRecord, env: EnvironmentConfig, now: number): Promise<string> {
    if (now - (g.lastLookAt ?? g.startedAt) < TRIP_STALE_MS) return 'busy';
    if (!(await store.guards.update(g.id, g.version, { lastLookAt: now }))) return 'lost';
    return finishTrip({ ...g, version: g.version + 1 }, env, now);
  }

  async function finishTrip(tripped: GuardRecord, env: EnvironmentConfig, now: number): Promise<string> {
    const result = await actOnTrip(deps, say, tripped, env, now);
    await store.guards.update(tripped.id, tripped.version, {
      state: result.ok ? 'acted' : 'action_failed',
      note: result.note,
      endedAt: deps.clock.now(),
      endedBy: 'guard',
    });
    return 'tripped';
  }

  /** One look at every active guard; errors are logged per guard, never thrown (it runs on a timer). */
  async function lookAll(now = deps.clock.now()): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const g of await store.guards.active()) {
      try {
        out[g.id] = await look(g, now);
      } catch (err) {
        log.warn({ err: err instanceof Error ? err.message : String(err), guard: g.id }, 'guard look failed');
        out[g.id] = 'error';
      }
    }
    return out;
  }

  /** `/autorisen guard stop <env>`: end the environment's active guards. */
  async function stop(env: string, by: string, now = deps.clock.now()): Promise<number> {
    let n = 0;
    for (const g of await store.guards.active(env))
      if (g.state === 'watching' && (await end(g, 'stopped', `stopped by <@${by}>`, by, now))) n++;
    return n;
  }

  return { start, look, lookAll, stop, verdictOf, settings };
}

export type GuardService = ReturnType<typeof createGuardService>;
