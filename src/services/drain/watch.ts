import type { Config } from '../../config.ts';
import { makeFingerprint, routeAlert, type Alert } from '../../core/alerts/alerts.ts';
import { evaluateRules, type RuleResult } from '../../core/drain/rules.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import { minuteStart } from './aggregate.ts';
import { changesBetween } from './changes.ts';
import { compareAround, latestComparison, windowFn } from './window.ts';

/** How often thresholds, follow-ups and retention are looked at (a rule window is minutes long). */
export const DRAIN_SWEEP_MS = 30_000;

/** Changes older than this get no follow-up any more (e.g. after a long outage of the bot). */
const FOLLOW_UP_LATEST_MS = 60 * 60_000;

export interface DrainWatchDeps {
  store: Store;
  config: Pick<Config, 'environments' | 'alerts' | 'logdrain' | 'announceChannel'>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Where follow-ups are posted; null (e.g. before the transport starts) = none this sweep. */
  chat: () => ChatPort | null;
  /** Wake the alert delivery worker after an alert changed. */
  onAlert?: () => void;
  /** Watch every environment, not only those with a drain password (the shell's replayed drains). */
  allEnvironments?: boolean;
}

/**
 * Turns drain minutes into alerts, before/after follow-ups and retention, from what is persisted
 * only: an alert's state is its alert group (firing/resolved) and a follow-up is a claimed row, so
 * a restart or a second instance neither repeats nor forgets anything.
 */
export function createDrainWatch(deps: DrainWatchDeps) {
  const { store, config, log } = deps;
  const MINUTE = 60_000;

  /** Rules of every environment whose drain is on; fires and resolves alerts on transitions. */
  async function evaluate(now: number): Promise<{ fired: string[]; resolved: string[] }> {
    const fired: string[] = [];
    const resolved: string[] = [];
    for (const d of config.logdrain.environments) {
      if (d.passwords.length === 0 && !deps.allEnvironments) continue;
      const env = config.environments.find((e) => e.name === d.env)!;
      const widest = Math.max(...Object.values(d.rules).map((r) => (r ? r.window_minutes * 2 : 0)), 1);
      const rows = await store.drainMetrics.minutes(d.env, minuteStart(now) - widest * MINUTE, now + MINUTE);
      const results = evaluateRules(d.rules, windowFn(rows, now));
      for (const r of results) {
        const fingerprint = makeFingerprint('heroku', 'logdrain', `${d.env}:${r.rule}${r.item ? `:${r.item}` : ''}`);
        const group = await store.alerts.getGroup(fingerprint);
        const firing = group?.status === 'firing';
        if (r.breached === firing) continue;
        const ctx = r.breached
          ? await latestComparison(store, env, config.alerts.contextWindowMinutes, config.logdrain.compareMinutes, now)
          : null;
        await raise(d.env, fingerprint, r, ctx?.text ?? null, now);
        (r.breached ? fired : resolved).push(fingerprint);
      }
    }
    if (fired.length || resolved.length) deps.onAlert?.();
    return { fired, resolved };
  }

  async function raise(env: string, fingerprint: string, r: RuleResult, comparison: string | null, now: number) {
    const alert: Alert = {
      source: 'heroku',
      env,
      severity: r.severity,
      title: r.title,
      detail: comparison ? `Before/after: ${comparison}` : 'From the Heroku log drain (router and dyno metrics).',
      status: r.breached ? 'firing' : 'resolved',
      fingerprint,
      project: null,
      links: [],
      labels: { origin: 'logdrain', rule: r.rule, ...(r.item ? { code: r.item } : {}) },
      resolvedBy: r.breached ? null : 'the log drain (back within the rule)',
    };
    const channel = routeAlert(alert, config.alerts.routes, config.environments, config.alerts.defaultChannel).channel;
    // One delivery per transition per minute: two instances sweeping together store it once.
    const dedupKey = `logdrain:${fingerprint}:${alert.status}:${minuteStart(now)}`;
    const r2 = await store.alerts.accept(
      {
        id: deps.ids.next(),
        source: 'heroku',
        dedupKey,
        resource: 'logdrain',
        receivedAt: now,
        body: JSON.stringify({ rule: r.rule, item: r.item, title: r.title, breached: r.breached }),
        outcome: `1 alert (${alert.status})`,
      },
      [{ alert, channel }],
      [],
      [],
    );
    if (!r2.duplicate) log.info({ env, rule: r.rule, status: alert.status }, 'log drain threshold alert');
  }

  /**
   * Post the before/after comparison once `compareMinutes` have passed since a deploy, rollback or
   * flag flip: in the deploy's own thread when known, else the environment's deploy channel, else
   * the announce channel. Claimed before posting, so it is posted at most once.
   */
  async function followUps(now: number): Promise<number> {
    const chat = deps.chat();
    if (!chat) return 0;
    const span = config.logdrain.compareMinutes * MINUTE;
    let posted = 0;
    for (const d of config.logdrain.environments) {
      if (d.passwords.length === 0 && !deps.allEnvironments) continue;
      const env = config.environments.find((e) => e.name === d.env)!;
      for (const change of await changesBetween(store, env, now - FOLLOW_UP_LATEST_MS, now - span + 1)) {
        const channel = change.thread?.channel ?? env.deployChannel ?? config.announceChannel;
        if (!channel) continue;
        if (!(await store.drainMetrics.claimFollowUp(change.key, now))) continue;
        const { text } = await compareAround(store, change, config.logdrain.compareMinutes, change.at + span);
        try {
          await chat.post(
            channel,
            { text: `📈 [${env.name}] ${config.logdrain.compareMinutes} min on — ${text}.`, visibility: 'in_channel' },
            change.thread ? { threadTs: change.thread.ts } : undefined,
          );
          posted++;
        } catch (err) {
          log.warn(
            { err: err instanceof Error ? err.message : String(err), change: change.key },
            'could not post the before/after follow-up',
          );
        }
      }
    }
    return posted;
  }

  async function prune(now: number) {
    return store.drainMetrics.prune(now - config.logdrain.retentionDays * 86_400_000);
  }

  return {
    evaluate,
    followUps,
    prune,
    /** One pass of everything; errors are logged, never thrown (it runs on a timer). */
    async sweep(now = deps.clock.now()): Promise<void> {
      for (const [what, step] of [
        ['thresholds', () => evaluate(now)],
        ['follow-ups', () => followUps(now)],
        ['retention', () => prune(now)],
      ] as const) {
        try {
          await step();
        } catch (err) {
          log.warn({ err: err instanceof Error ? err.message : String(err) }, `log drain ${what} sweep failed`);
        }
      }
    },
  };
}

export type DrainWatch = ReturnType<typeof createDrainWatch>;
