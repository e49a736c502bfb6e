import { describe, expect, it } from 'vitest';
import { LAG_MIN_ACTIVE, WorkLimiter } from '../../src/services/dispatch/work-limiter.ts';

/** Work that runs until the test lets it finish. */
function held(): { work: () => Promise<void>; finish: () => void } {
  let finish = () => {};
  const done = new Promise<void>((r) => (finish = r));
  return { work: () => done, finish };
}

describe('the work limiter refuses follow-ups while its own work makes the event loop late', () => {
  it('refuses a query when the loop is late and enough of our work is running; actions still run', async () => {
    let lag = 0;
    const limiter = new WorkLimiter(32, 256, () => lag, 40);
    const running = Array.from({ length: LAG_MIN_ACTIVE }, held);
    for (const r of running) expect(limiter.submit(r.work)).not.toBeNull();
    lag = 120;
    expect(limiter.submit(async () => {})).toBeNull();
    expect(limiter.refused).toBe(1);
    let ranUrgent = false;
    await limiter.submit(async () => {
      ranUrgent = true;
    }, true);
    expect(ranUrgent).toBe(true);
    lag = 5;
    expect(limiter.submit(async () => {})).not.toBeNull();
    for (const r of running) r.finish();
  });

  it('does not turn users away for a late loop when little of its own work is running', () => {
    const limiter = new WorkLimiter(32, 256, () => 500, 40);
    const one = held();
    expect(limiter.submit(one.work)).not.toBeNull();
    expect(limiter.submit(async () => {})).not.toBeNull();
    one.finish();
  });

  it('starts urgent work (the kill switch) even with every slot and the queue taken', async () => {
    const limiter = new WorkLimiter(1, 1, () => 0, 40);
    const running = held();
    const waiting = held();
    expect(limiter.submit(running.work)).not.toBeNull();
    expect(limiter.submit(waiting.work)).not.toBeNull();
    expect(limiter.saturated).toBe(true);
    expect(limiter.submit(async () => {})).toBeNull();
    let ranUrgent = false;
    await limiter.submit(async () => {
      ranUrgent = true;
    }, true);
    expect(ranUrgent).toBe(true);
    running.finish();
    waiting.finish();
  });

  it("a new limiter (a new app) does not inherit the lag an earlier app's work left in the shared sampler", async () => {
    const first = new WorkLimiter(32, 256);
    const running = Array.from({ length: 2 * LAG_MIN_ACTIVE }, held);
    for (const r of running.slice(0, LAG_MIN_ACTIVE)) expect(first.submit(r.work)).not.toBeNull();
    expect(first.saturated).toBe(false);
    // Block the event loop four times for 100 ms: the sampler sees it late.
    for (let i = 0; i < 4; i++) {
      const t = performance.now();
      while (performance.now() - t < 100) {}
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(first.saturated).toBe(true);
    const second = new WorkLimiter(32, 256);
    for (const r of running.slice(LAG_MIN_ACTIVE)) expect(second.submit(r.work)).not.toBeNull();
    expect(second.saturated).toBe(false);
    for (const r of running) r.finish();
  });
});
