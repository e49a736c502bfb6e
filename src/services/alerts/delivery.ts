import type { Config } from '../../config.ts';
import { toAppError } from '../../errors.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { AlertGroup, AlertStore, DigestRecord, NoticeRecord } from '../../ports/stores/alerts.ts';
import type { ReleaseStore } from '../../ports/stores/releases.ts';
import type { AlertCharts } from './charts.ts';
import { SlackPacer } from '../../core/slack-pacer.ts';
import { DEFAULT_DELIVERY_OPTIONS, postKey, SlackStop, syncChannel, UPDATE_KEY, type DeliveryOptions } from './sync.ts';

export interface AlertDeliveryDeps {
  store: { alerts: AlertStore; releases?: ReleaseStore };
  /**
   * Slack. Give it a ChatPort that does NOT wait out 429s or pace posts itself (createSlackChat
   * with rateLimitRetries: 0, postIntervalMs: 0): this worker paces per channel and honours
   * Retry-After (AppError.retryAfterSec) without blocking other channels.
   */
  chat: ChatPort;
  clock: Clock;
  ids: Ids;
  log: Logger;
  config: Pick<Config, 'environments' | 'alerts'>;
  /** Activity charts (sparkline, and the image when PUBLIC_URL is set) on alert messages. */
  charts?: AlertCharts;
  /** The process's one Slack pacer, shared with command replies (default: a pacer of its own). */
  pacer?: SlackPacer;
  options?: Partial<DeliveryOptions> & {
    idlePollMs?: number;
    batch?: number;
    minStepGapMs?: number;
    pruneEveryMs?: number;
    pruneBatch?: number;
  };
}

/** A running delivery worker. */
export interface AlertDelivery {
  /** Wake the worker now (a delivery was just stored or a button changed a group). */
  poke(): void;
  /** Resolve once nothing is pending (or reject after `timeoutMs`). For tests, the benchmark and shutdown. */
  drain(timeoutMs?: number): Promise<void>;
  /** Stop after the current step; pending work stays in the store for the next start. */
  stop(): Promise<void>;
}

/** Poll the store this often when idle, so work stored by another instance is picked up. */
const IDLE_POLL_MS = 1_000;
/**
 * Least time between passes while busy. A storm changes groups faster than Slack lets us show
 * them, so re-reading the outbox more often only steals time from the ingress.
 */
const MIN_STEP_GAP_MS = 100;

/** How often old alert rows are pruned (alerts.retention_days); the first pass runs at start. */
const PRUNE_EVERY_MS = 10 * 60_000;
/** Rows per table per DELETE: short transactions, so intake never waits long for the write lock. */
const PRUNE_BATCH = 500;
/** Most batches in one pass; a larger backlog is worked off over the next passes. */
const PRUNE_MAX_BATCHES = 20;

/**
 * Start the outbox worker: it reads what Slack is behind on from the store and catches up,
 * channel by channel, under a compare-and-set channel lease so several instances share the work.
 */
export function startAlertDelivery(deps: AlertDeliveryDeps): AlertDelivery {
  const o: DeliveryOptions = { ...DEFAULT_DELIVERY_OPTIONS, ...deps.options };
  const idlePollMs = deps.options?.idlePollMs ?? IDLE_POLL_MS;
  const batch = deps.options?.batch ?? 2_000;
  const minGap = deps.options?.minStepGapMs ?? MIN_STEP_GAP_MS;
  const owner = `worker-${deps.ids.next()}`;
  // Shared with the chat port's command replies (app.ts), so both count against one per-channel pace.
  const pacer = deps.pacer ?? new SlackPacer(() => deps.clock.now());
  const failures = new Map<string, number>();
  const leased = new Set<string>();
  const log = deps.log.child({ worker: 'alert-delivery' });
  const pruneEveryMs = deps.options?.pruneEveryMs ?? PRUNE_EVERY_MS;
  const pruneBatch = deps.options?.pruneBatch ?? PRUNE_BATCH;
  let lastPrune = -Infinity;
  let stopped = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const onFailure = (channel: string, stop: SlackStop) => {
    const e = toAppError(stop.cause);
    const now = deps.clock.now();
    if (e.retryAfterSec !== undefined) {
      pacer.pauseUntil(stop.key, now + e.retryAfterSec * 1000);
      log.warn({ channel, retryAfterSec: e.retryAfterSec }, 'Slack rate limit; pausing as Retry-After says');
      return;
    }
    const n = (failures.get(channel) ?? 0) + 1;
    failures.set(channel, n);
    const delay = Math.min(o.maxBackoffMs, 1000 * 2 ** (n - 1));
    pacer.pauseUntil(postKey(channel), now + delay);
    if (stop.key === UPDATE_KEY) pacer.pauseUntil(UPDATE_KEY, now + Math.min(delay, 5_000));
    log.warn({ channel, code: e.code, error: e.userMessage, retryInMs: delay }, 'Slack call failed; will retry');
  };

  /** One pass over everything pending. Returns ms to wait before the next pass. */
  const step = async (): Promise<number> => {
    const now = deps.clock.now();
    const alerts = deps.store.alerts;
    const [groups, notices, digests] = await Promise.all([
      alerts.pendingGroups(now, batch),
      alerts.pendingNotices(batch),
      alerts.pendingDigests(batch),
    ]);
    const byChannel = new Map<string, { groups: AlertGroup[]; notices: NoticeRecord[]; digests: DigestRecord[] }>();
    const slot = (ch: string) =>
      byChannel.get(ch) ?? byChannel.set(ch, { groups: [], notices: [], digests: [] }).get(ch)!;
    for (const g of groups) {
      if (g.channel === null) {
        log.warn(
          { fingerprint: g.fingerprint },
          'alert has no channel (set alerts.default_channel); stored, not posted',
        );
        await alerts.markGroupSynced(g.fingerprint, {
          version: g.version,
          count: g.count,
          shownSilence: g.silencedUntil,
          status: g.status,
          ackedBy: g.ackedBy,
        });
      } else slot(g.channel).groups.push(g);
    }
    for (const n of notices) slot(n.channel).notices.push(n);
    for (const d of digests) slot(d.channel).digests.push(d);
    let progress = false;
    for (const [channel, work] of byChannel) {
      if (stopped) break;
      if (!(await alerts.leaseChannel(channel, owner, now, now + o.claimMs))) continue;
      // Newly ours (start, restart, or taken over from another instance): the previous holder may
      // have posted a moment ago, so the first post waits one interval too (§A5: 1/s per channel).
      if (!leased.has(channel)) pacer.used(postKey(channel), now, o.postIntervalMs);
      leased.add(channel);
      try {
        if (
          await syncChannel(
            {
              ...deps.store,
              chat: deps.chat,
              clock: deps.clock,
              ids: deps.ids,
              log,
              config: deps.config,
              pacer,
              options: o,
              ...(deps.charts ? { charts: deps.charts } : {}),
            },
            channel,
            work.groups,
            work.notices,
            work.digests,
          )
        ) {
          progress = true;
          failures.delete(channel);
        }
      } catch (err) {
        if (err instanceof SlackStop) onFailure(channel, err);
        else throw err;
      }
    }
    if (progress) return 0;
    if (byChannel.size === 0) return idlePollMs;
    const next = pacer.nextReady([UPDATE_KEY, ...[...byChannel.keys()].map(postKey)], deps.clock.now());
    return next === null ? Math.min(idlePollMs, 250) : Math.min(idlePollMs, Math.max(10, next - deps.clock.now()));
  };

  /** Retention: bounded batches, yielding between them, until nothing old is left or the pass is used up. */
  const prune = async (): Promise<void> => {
    const now = deps.clock.now();
    const cutoff = now - deps.config.alerts.retentionDays * 86_400_000;
    const total: Record<string, number> = {};
    for (let i = 0; i < PRUNE_MAX_BATCHES && !stopped; i++) {
      const counts = await deps.store.alerts.prune(cutoff, now, pruneBatch);
      for (const [k, v] of Object.entries(counts)) total[k] = (total[k] ?? 0) + v;
      if (!Object.values(counts).some((n) => n >= pruneBatch)) break;
      await new Promise((r) => setImmediate(r));
    }
    if (Object.values(total).some((n) => n > 0))
      log.info({ removed: total, retentionDays: deps.config.alerts.retentionDays }, 'pruned old alert rows');
  };

  const loop = (async () => {
    while (!stopped) {
      let wait = idlePollMs;
      try {
        wait = await step();
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'alert delivery step failed; retrying');
      }
      if (!stopped && deps.clock.now() - lastPrune >= pruneEveryMs) {
        lastPrune = deps.clock.now();
        await prune().catch((err: unknown) =>
          log.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'pruning old alert rows failed; will try again',
          ),
        );
      }
      if (stopped) break;
      // The gap is not cut short by pokes; the rest of an idle wait is.
      await new Promise((r) => setTimeout(r, minGap));
      if (wait > minGap && !stopped) await sleep(wait - minGap);
    }
  })();

  return {
    poke() {
      wake?.();
    },
    async drain(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = deps.clock.now();
        const s = deps.store.alerts;
        const [g, n, d] = await Promise.all([s.pendingGroups(now, 1), s.pendingNotices(1), s.pendingDigests(1)]);
        if (g.length + n.length + d.length === 0) return;
        if (Date.now() > deadline) throw new Error(`alert delivery did not drain within ${timeoutMs} ms`);
        wake?.();
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      for (const ch of leased) await deps.store.alerts.releaseChannel(ch, owner).catch(() => undefined);
    },
  };
}
