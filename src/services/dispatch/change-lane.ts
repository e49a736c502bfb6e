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
 * - While commands keep arriving (a flood: `floodArrivals` within `floodWindowMs`), only one runs:
 *   the acks come first. Four changes' follow-ups (Heroku replies, store writes, response_url POSTs)
 *   landing together delayed the acks queued behind them (p99 5.9× bare Bolt at 500 `flag on`/s
 *   on SQLite); the rest wait in order and catch up when the flood ends.
 * - Urgent changes (the kill switch, a rollback) never wait here: they start on the next turn.
 */

/** Changes running at once: a change is a few Heroku and store round trips, rare outside a flood. */
export const CHANGE_CONCURRENCY = 4;
/** How long one change may keep its slot (longer ones are workflows following vendor work). */
export const CHANGE_LEASE_MS = 2_000;

/** Commands (of any kind) arriving this fast make a flood: 10 within 100 ms is 100 a second. */
export const FLOOD_ARRIVALS = 10;
export const FLOOD_WINDOW_MS = 100;

export interface ChangeLaneOptions {
  concurrency?: number;
  leaseMs?: number;
  floodArrivals?: number;
  floodWindowMs?: number;
  /** Monotonic ms for the flood window (tests inject it). */
  now?: () => number;
}

/** Resolves after pending I/O callbacks, so the transport writes the ack before the work starts. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ChangeLane {
  private active = 0;
  private urgent = 0;
  private readonly waiting: Array<() => void> = [];
  /** When the last `floodArrivals` commands arrived, oldest first. */
  private readonly arrivals: number[] = [];
  readonly concurrency: number;
  readonly leaseMs: number;
  private readonly floodArrivals: number;
  private readonly floodWindowMs: number;
  private readonly now: () => number;

  constructor(
    /** Current event-loop lag in ms, and the lag above which only one change runs. */
    private readonly lagMs: () => number,
    private readonly maxLagMs: number,
    o: ChangeLaneOptions = {},
  ) {
    this.concurrency = o.concurrency ?? CHANGE_CONCURRENCY;
    this.leaseMs = o.leaseMs ?? CHANGE_LEASE_MS;
    this.floodArrivals = o.floodArrivals ?? FLOOD_ARRIVALS;
    this.floodWindowMs = o.floodWindowMs ?? FLOOD_WINDOW_MS;
    this.now = o.now ?? (() => performance.now());
  }

  /** A command arrived and wants its ack (the dispatcher calls this first, for every command). */
  noteArrival(): void {
    this.arrivals.push(this.now());
    if (this.arrivals.length > this.floodArrivals) this.arrivals.shift();
  }

  /** Whether commands arrive in a flood now, so acks go before more change work. */
  get flooded(): boolean {
    const oldest = this.arrivals[0];
    return this.arrivals.length >= this.floodArrivals && this.now() - oldest! < this.floodWindowMs;
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
      // In a flood, likewise one at a time (started at once: the flood ends, the queue drains).
      const late = this.lagMs() > this.maxLagMs;
      if (this.active > 0 && (late || this.flooded)) return;
      this.active++;
      const start = this.waiting.shift()!;
      if (late) setTimeout(start, this.maxLagMs);
      else setImmediate(start);
    }
  }
}
