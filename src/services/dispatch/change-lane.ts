/**
 * The work of changes (action commands) after their ack (issue 19 §8). A change is never refused:
 * its ack goes out at once, empty, and its work waits here for a slot, so however many changes are
 * queued, the ack costs the same. Without a bound, 500 `flag on` a second each started at once; their
 * work filled the event loop and the acks of later commands waited behind it past Slack's 3 s.
 *
 * - At most `concurrency` changes run at once; the rest wait in arrival order, never dropped.
 * - While the event loop runs late (our own work is using the CPU the acks need), only one runs,
 *   each after a short pause.
 * - A slot is lent for at most `leaseMs`: a deploy or release follows its workflow for minutes (its
 *   command's `execute` drives the run), and must not hold up a `flag on` behind it. After the
 *   lease it keeps running but no longer counts.
 * - Urgent changes (the kill switch, a rollback) never wait here: they start on the next turn.
 */

/** Changes running at once: a change is a few Heroku and store round trips, rare outside a flood. */
export const CHANGE_CONCURRENCY = 4;
/** How long one change may keep its slot (longer ones are workflows following vendor work). */
export const CHANGE_LEASE_MS = 2_000;

export interface ChangeLaneOptions {
  concurrency?: number;
  leaseMs?: number;
}

/** Resolves after pending I/O callbacks, so the transport writes the ack before the work starts. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ChangeLane {
  private active = 0;
  private urgent = 0;
  private readonly waiting: Array<() => void> = [];
  readonly concurrency: number;
  readonly leaseMs: number;

  constructor(
    /** Current event-loop lag in ms, and the lag above which only one change runs. */
    private readonly lagMs: () => number,
    private readonly maxLagMs: number,
    o: ChangeLaneOptions = {},
  ) {
    this.concurrency = o.concurrency ?? CHANGE_CONCURRENCY;
    this.leaseMs = o.leaseMs ?? CHANGE_LEASE_MS;
  }

  /** Changes holding a slot, waiting for one, and urgent ones running. */
  get load(): { active: number; queued: number; urgent: number } {
    return { active: this.active, queued: this.waiting.length, urgent: this.urgent };
  }

  /** Run `work` when a slot is free (in order), or on the next turn when `urgent`. Never refused. */
  submit(work: () => Promise<void>, urgent = false): Promise<void> {
    if (urgent) {
      this.urgent++;
      return nextTurn()
        .then(work)
        .finally(() => this.urgent--);
    }
    const slot = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.pump();
    return slot.then(() => this.lease(work));
  }

  private async lease(work: () => Promise<void>): Promise<void> {
    let held = true;
    const free = () => {
      if (!held) return;
      held = false;
      this.active--;
      this.pump();
    };
    const timer = setTimeout(free, this.leaseMs);
    timer.unref?.();
    try {
      await work();
    } finally {
      clearTimeout(timer);
      free();
    }
  }

  private pump(): void {
    while (this.waiting.length > 0 && this.active < this.concurrency) {
      // A late loop: one change at a time (never none, so the queue always drains), each started
      // after a pause of `maxLagMs`, so back-to-back changes leave the acks some of the CPU.
      const late = this.lagMs() > this.maxLagMs;
      if (this.active > 0 && late) return;
      this.active++;
      const start = this.waiting.shift()!;
      if (late) setTimeout(start, this.maxLagMs);
      else setImmediate(start);
    }
  }
}
