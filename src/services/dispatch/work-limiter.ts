import { ChangeLane, type ChangeLaneOptions } from './change-lane.ts';
import { EventLoopLag } from './event-loop-lag.ts';

/**
 * Bounds the work that follows an ack. The dispatcher acks first and then works (a query's ack waits
 * up to 750 ms for its answer, dispatch/answer-in-ack.ts, and goes out empty after that); without a bound,
 * a burst (500 commands a second) starts every follow-up at once, they queue on Heroku, the
 * database and Slack, memory grows with them, and the acks of later commands wait behind that
 * backlog until Slack's 3 s deadline passes for everybody. With a bound, at most `concurrency` run,
 * at most `maxQueued` wait, and anything beyond is answered at once (in the ack) with BUSY_TEXT.
 * That is for queries and dry runs (they change nothing, so "try again" costs nobody anything);
 * changes are never refused and wait in `changes` instead (dispatch/change-lane.ts).
 */

/** Follow-ups running at once: enough to overlap Heroku/Slack round trips, few enough to stay cheap. */
export const WORK_CONCURRENCY = 32;
/**
 * Follow-ups waiting for a slot; beyond this the user is told to try again instead of queued. Small:
 * a waiting follow-up only waits for Heroku or Slack to answer the running ones, and when they do,
 * every waiting one runs back to back on the event loop the next acks need (was 256).
 */
export const WORK_QUEUE = 32;
/**
 * Event-loop lag above which new (non-urgent) follow-ups are refused: the CPU is saturated and more
 * work would only make every ack wait longer (measured by bench/heroku-read-ack.ts: without it, acks
 * at 200 flag-status/s on 2 busy cores reached 15 s while "busy" was given only once 288 were held).
 * 20 ms (was 40): a refusal now costs about a bare ack (the dispatcher answers "busy" before any
 * other work), so refusing early keeps acks near a bare app's instead of tens of ms behind.
 */
export const MAX_LAG_MS = 20;
/**
 * Lag counts only while this many follow-ups run: a late loop with little of our work in flight is
 * someone else's (a busy host, a GC pause), and refusing then would only turn users away. (Was 4:
 * at hundreds of commands a second a cached `flag status` finishes within a loop turn or two, so
 * fewer than 4 run at a time even while their CPU makes the loop late.)
 */
export const LAG_MIN_ACTIVE = 2;

/** The ack a saturated bot gives (nothing was run, nothing is queued). */
export const BUSY_TEXT =
  ':hourglass_flowing_sand: I am busy with other requests right now, so I did not run that. Try again in a moment.';

/**
 * One sampler for the process: every limiter watches the same event loop, and a sampler per limiter
 * was a 20 ms timer that nothing stopped, one more for each app a process booted (tests boot many).
 * A new limiter (a new app) resets it, and it starts again on first use: the lag of this app's own
 * boot, or of another app's work before it, is not its follow-ups' (a test booting its app right
 * after another's was told "busy" for its first commands).
 */
let sharedLag: EventLoopLag | undefined;
function defaultLag(): () => number {
  const lag = (sharedLag ??= new EventLoopLag());
  lag.reset();
  return () => lag.current;
}

/** Resolves after pending I/O callbacks, so the transport writes the ack before the work starts. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class WorkLimiter {
  private active = 0;
  private urgent = 0;
  private readonly waiting: Array<() => void> = [];
  /** Follow-ups refused because the bot was saturated (for logs and benchmarks). */
  refused = 0;
  /** The work of changes (action commands): never refused, bounded and queued (dispatch/change-lane.ts). */
  readonly changes: ChangeLane;

  constructor(
    readonly concurrency = WORK_CONCURRENCY,
    readonly maxQueued = WORK_QUEUE,
    /** Current event-loop lag in ms (tests inject it); refusals start above `maxLagMs`. */
    private readonly lagMs: () => number = defaultLag(),
    readonly maxLagMs = MAX_LAG_MS,
    changes: ChangeLaneOptions = {},
  ) {
    this.changes = new ChangeLane(lagMs, maxLagMs, changes);
  }

  /** Running and waiting follow-ups (urgent ones counted apart: they never wait). */
  get load(): { active: number; queued: number; urgent: number } {
    return { active: this.active, queued: this.waiting.length, urgent: this.urgent };
  }

  /**
   * Whether a non-urgent follow-up would be refused now (all slots and the queue taken, or the event
   * loop late while enough of our own work runs).
   */
  get saturated(): boolean {
    const full = this.active >= this.concurrency && this.waiting.length >= this.maxQueued;
    return full || (this.active >= LAG_MIN_ACTIVE && this.lagMs() > this.maxLagMs);
  }

  /**
   * Start `work` on a later turn when a slot is free, or queue it; null (and nothing started or kept)
   * when `concurrency` run and `maxQueued` already wait. `urgent` work (actions: the kill switch,
   * rollbacks, deploys; operators only, and rare) is never refused or queued: it starts at once.
   */
  submit(work: () => Promise<void>, urgent = false): Promise<void> | null {
    if (urgent) {
      this.urgent++;
      return nextTurn()
        .then(work)
        .finally(() => this.urgent--);
    }
    if (this.saturated) {
      this.refused++;
      return null;
    }
    const slot =
      this.active < this.concurrency
        ? (this.active++, nextTurn())
        : new Promise<void>((resolve) => this.waiting.push(resolve));
    return slot.then(work).finally(() => this.release());
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
