import type { Clock } from '../src/ports/clock.ts';

/**
 * Simulated time for replaying a day in minutes: a discrete-event clock. Tasks run real code (real
 * HTTP to the fake over loopback); when every running task is either finished or inside
 * `clock.sleep`, time jumps to the next wake-up or scheduled event. No wall-clock waiting.
 */
export class SimClock implements Clock {
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  private events: Array<{ at: number; run: () => Promise<void> }> = [];
  private running = 0;
  private sleeping = 0;

  constructor(public current: number) {}

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    this.sleeping++;
    return new Promise((resolve) =>
      this.sleepers.push({
        at: this.current + Math.max(0, ms),
        wake: () => {
          this.sleeping--;
          resolve();
        },
      }),
    );
  }

  /** Run `run` at simulated time `at` (ms since epoch). */
  at(at: number, run: () => Promise<void>): void {
    this.events.push({ at, run });
  }

  /** Replay every scheduled event (and the sleeps they start) to the end. */
  async runAll(onError: (err: unknown) => void): Promise<void> {
    for (;;) {
      await this.settle();
      const nextSleep = this.sleepers.reduce((m, s) => Math.min(m, s.at), Number.POSITIVE_INFINITY);
      const nextEvent = this.events.reduce((m, e) => Math.min(m, e.at), Number.POSITIVE_INFINITY);
      const next = Math.min(nextSleep, nextEvent);
      if (next === Number.POSITIVE_INFINITY) return;
      this.current = Math.max(this.current, next);
      if (nextEvent <= nextSleep) {
        const i = this.events.findIndex((e) => e.at === nextEvent);
        const [e] = this.events.splice(i, 1);
        this.running++;
        void e!
          .run()
          .catch(onError)
          .finally(() => this.running--);
      } else {
        const due = this.sleepers.filter((s) => s.at <= this.current);
        this.sleepers = this.sleepers.filter((s) => s.at > this.current);
        for (const s of due) s.wake();
      }
    }
  }

  /** Wait (in real time, briefly) until every running task is finished or asleep. */
  private async settle(): Promise<void> {
    let quiet = 0;
    // Two quiet checks in a row: a task between an HTTP answer and its next sleep is not asleep yet.
    while (quiet < 2) {
      await new Promise((r) => setTimeout(r, 1));
      quiet = this.running === this.sleeping ? quiet + 1 : 0;
    }
  }
}
