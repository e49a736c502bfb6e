import type { ChatPort } from '../ports/chat.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import { createLockQueueService, type LockQueueService } from '../services/locks/lock-queue-service.ts';
import { observeLockReleases } from '../services/locks/observe-lock-releases.ts';

/** How often lock queues look for locks that expired or were released by another instance. */
export const LOCK_QUEUE_SWEEP_MS = 30_000;

/** Team operations (issue 23): lock queues. */
export interface TeamOps {
  readonly lockQueue: LockQueueService;
}

/**
 * Wire team operations around the store: `observe` wraps it so every lock release reaches the lock
 * queue; `start` runs the sweeps (a first one at once: locks that expired while no instance ran).
 */
export function wireTeamOps(deps: { clock: Clock; log: Logger; chat: () => ChatPort }): TeamOps & {
  observe(store: Store): Store;
  start(timers: NodeJS.Timeout[], o: { lockQueueSweepMs?: number | undefined }): void;
} {
  let store: Store | null = null;
  let lockQueue: LockQueueService | null = null;
  const need = <T>(v: T | null): T => {
    if (v === null) throw new Error('team operations are used before the store is wired');
    return v;
  };
  return {
    get lockQueue() {
      return need(lockQueue);
    },
    observe(s) {
      store = observeLockReleases(s, (env) => void lockQueue?.released(env, deps.clock.now()));
      lockQueue = createLockQueueService({ store, chat: deps.chat, clock: deps.clock, log: deps.log });
      return store;
    },
    start(timers, o) {
      const queue = need(lockQueue);
      void queue.sweep();
      const ms = o.lockQueueSweepMs ?? LOCK_QUEUE_SWEEP_MS;
      if (ms > 0) timers.push(setInterval(() => void queue.sweep(), ms).unref());
    },
  };
}
