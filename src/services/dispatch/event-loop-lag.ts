/**
 * How late the event loop is running, sampled by a timer: when follow-up work saturates the CPU, a
 * 20 ms timer fires late by about the time a new ack waits for its turn. The work limiter refuses
 * new follow-ups while the loop is late, so acks (Slack's 3 s budget) are not starved by the work of
 * earlier commands; counting slots alone cannot see that, because one slot's CPU cost varies.
 */

/** Sampling period of the lag timer. */
const SAMPLE_MS = 20;
/** Weight of the newest sample in the moving average (about the last 10 samples, ~200 ms). */
const ALPHA = 0.2;

export class EventLoopLag {
  private lagMs = 0;
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  /** The smoothed lag in ms; starts the sampler on first use (it never keeps the process alive). */
  get current(): number {
    if (!this.timer) this.start();
    return this.lagMs;
  }

  private start(): void {
    this.last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const late = Math.max(0, now - this.last - SAMPLE_MS);
      this.last = now;
      this.lagMs = this.lagMs * (1 - ALPHA) + late * ALPHA;
    }, SAMPLE_MS).unref();
  }

  /** Forget what was measured and sample again from the next read (a new app starts counting afresh). */
  reset(): void {
    this.stop();
    this.lagMs = 0;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
