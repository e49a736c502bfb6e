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
});
