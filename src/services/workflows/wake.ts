import type { Store } from '../../ports/store.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import type { MoveRun } from './step-context.ts';

/**
 * Waking a waiting run at once, on whichever instance drives it (issue 19 §5). A run waiting at an
 * approval gate sleeps until its next look (30 s) on the injected clock; a decision on the approval
 * (Approve, Reject, expiry) must not wait for that look, because the run holds its environments'
 * locks meanwhile. The deciding instance wakes a driver of its own directly; otherwise it moves the
 * run row's `wakeAt` to now (compare-and-set, audited), and the driver on the other instance, which
 * re-reads its row about once a second while it sleeps (a primary-key read), wakes when the row's
 * version moves. The row is the wake-up: one SQL for SQLite and PostgreSQL, nothing to clean up, and
 * an instance that died meanwhile resumes the run from the same row.
 */

/** How often a sleeping driver re-reads its run row (real time: a decision is a person's click). */
export const WAKE_POLL_MS = 1_000;

export interface Wakeups {
  /** Sleep until `timer` resolves, a local wake, or the run row moving past `version` elsewhere. */
  sleep(run: WorkflowRun, timer: Promise<void>): Promise<void>;
  /**
   * Wake the driver of a waiting run now: this instance's directly (true), else by moving the row's
   * `wakeAt` to now for the driver elsewhere (true once moved). False when it has nothing to wake:
   * not waiting, or waiting for nobody (`wakeAt` null: no driver sleeps on it).
   */
  wake(run: WorkflowRun, now: number, why: string): Promise<boolean>;
  /** Wake every local sleeper (the engine stops). */
  wakeAll(): void;
}

export function createWakeups(store: Store, move: MoveRun, pollMs = WAKE_POLL_MS): Wakeups {
  const local = new Map<string, () => void>();
  return {
    async sleep(run, timer) {
      let stop = () => {};
      const moved = new Promise<void>((resolve) => {
        let timeout: NodeJS.Timeout;
        const look = () => {
          timeout = setTimeout(async () => {
            const now = await store.workflows.get(run.id).catch(() => run);
            if (now?.version !== run.version) resolve();
            else if (!stopped) look();
          }, pollMs);
          timeout.unref?.();
        };
        let stopped = false;
        stop = () => {
          stopped = true;
          clearTimeout(timeout);
        };
        look();
      });
      const woken = new Promise<void>((resolve) => local.set(run.id, resolve));
      await Promise.race([timer, woken, moved]);
      stop();
      local.delete(run.id);
    },
    async wake(run, now, why) {
      if (run.state !== 'waiting') return false;
      const sleeper = local.get(run.id);
      if (sleeper) {
        sleeper();
        return true;
      }
      if (run.wakeAt === null) return false;
      // Its driver sleeps elsewhere (or is just waking up): the moved row wakes it.
      return (await move(run, { wakeAt: now }, why)) !== null;
    },
    wakeAll() {
      for (const w of local.values()) w();
    },
  };
}
