import { randomUUID } from 'node:crypto';
import type { Logger } from '../../ports/logger.ts';
import type { WorkflowLeaseStore } from '../../ports/stores/workflow-leases.ts';

/** How long a run's lease lasts without renewal: a killed instance's runs wait this long for a peer. */
export const WORKFLOW_LEASE_TTL_MS = 30_000;

export interface LeaseOptions {
  /** Lease length (default WORKFLOW_LEASE_TTL_MS); renewed every third of it. */
  ttlMs?: number;
  /** How often a live instance looks for runs whose lease expired (default half the TTL). */
  sweepMs?: number;
  /**
   * Wall time of leases. Not the app's injected clock: a lease is about whether a process is alive,
   * which simulated time (bakes compressed or jumped in tests) says nothing about.
   */
  now?: () => number;
}

/**
 * This instance's leases on the workflow runs it drives (issue 19 §7): one owner id per process,
 * a claim before driving, a heartbeat renewing them all in one statement, a release when the drive
 * ends. Runs driven here are known locally, so a sweep never takes over its own work.
 */
export function createRunLeases(
  leases: WorkflowLeaseStore,
  log: Logger,
  o: LeaseOptions = {},
  /** True once the engine is stopping: a drive cut short keeps its lease for stop() to hand over. */
  stopping: () => boolean = () => false,
) {
  const owner = randomUUID();
  const ttlMs = o.ttlMs ?? WORKFLOW_LEASE_TTL_MS;
  const now = o.now ?? Date.now;
  const driving = new Set<string>();
  let heartbeat: NodeJS.Timeout | null = null;
  const renew = () =>
    leases
      .renew(owner, now() + ttlMs)
      .catch((err: unknown) => log.warn({ err }, 'could not renew the workflow leases'));
  return {
    owner,
    ttlMs,
    sweepMs: o.sweepMs ?? ttlMs / 2,
    /** True when this process now drives `runId` (false: a live peer does, this process already does, or it is stopping). */
    async claim(runId: string): Promise<boolean> {
      // A stopping process takes nothing new: the run stays free for the next one's boot or a peer.
      if (driving.has(runId) || stopping()) return false;
      driving.add(runId);
      const t = now();
      const ok = await leases.claim(runId, owner, t, t + ttlMs).catch((err: unknown) => {
        driving.delete(runId);
        throw err;
      });
      if (!ok) driving.delete(runId);
      return ok;
    },
    drives: (runId: string) => driving.has(runId),
    /** Runs whose owner stopped renewing them or handed them over (a row nobody holds any more). */
    expired: (): Promise<Set<string>> => leases.expired(now()).then((ids) => new Set(ids)),
    /** The drive ended (finished, waiting for a person, stopped): a peer may pick the run up when it moves. */
    async release(runId: string): Promise<void> {
      driving.delete(runId);
      if (stopping()) return;
      await leases
        .release(runId, owner)
        .catch((err: unknown) => log.debug({ err, runId }, 'could not release the workflow lease'));
    },
    start(): void {
      heartbeat ??= setInterval(() => void renew(), Math.max(1, ttlMs / 3)).unref();
    },
    /** A graceful stop: hand every lease over, so a live peer takes the runs over at its next sweep. */
    async stop(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      driving.clear();
      await leases
        .handOver(owner)
        .catch((err: unknown) => log.warn({ err }, 'could not hand the workflow leases over'));
    },
  };
}

export type RunLeases = ReturnType<typeof createRunLeases>;
