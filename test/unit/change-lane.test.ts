import { describe, expect, it, vi } from 'vitest';
import { ChangeLane } from '../../src/services/dispatch/change-lane.ts';

/** Work that runs until the test lets it finish, and says whether it started. */
function held(): { work: () => Promise<void>; finish: () => void; started: () => boolean } {
  let finish = () => {};
  let started = false;
  const done = new Promise<void>((r) => (finish = r));
  return {
    work: () => {
      started = true;
      return done;
    },
    finish,
    started: () => started,
  };
}

/** With one change running and one queued behind it, urgent work (the kill switch) still runs at once. */
async function expectKillSwitchPasses(lane: ChangeLane): Promise<void> {
  const running = held();
  const queued = held();
  void lane.submit(running.work);
  void lane.submit(queued.work);
  let killed = false;
  await lane.submit(async () => {
    killed = true;
  }, true);
  expect(killed).toBe(true);
  expect(queued.started()).toBe(false);
  running.finish();
  queued.finish();
}

describe('the change lane: changes are never refused, and their work is bounded', () => {
  it('runs at most `concurrency` changes, queues the rest in order, and runs each once', async () => {
    const lane = new ChangeLane(() => 0, 20, { concurrency: 2, leaseMs: 60_000 });
    const changes = Array.from({ length: 5 }, held);
    const done = changes.map((c) => lane.submit(c.work));
    await vi.waitFor(() => expect(changes.filter((c) => c.started())).toHaveLength(2));
    expect(lane.load).toEqual({ active: 2, queued: 3, urgent: 0 });
    expect(changes.map((c) => c.started())).toEqual([true, true, false, false, false]);
    changes[0]!.finish();
    await vi.waitFor(() => expect(changes[2]!.started()).toBe(true));
    expect(changes[3]!.started()).toBe(false);
    for (const c of changes) c.finish();
    await Promise.all(done);
    expect(lane.load).toEqual({ active: 0, queued: 0, urgent: 0 });
  });

  it('starts urgent work (the kill switch) at once, past a full lane and its queue', async () => {
    const lane = new ChangeLane(() => 0, 20, { concurrency: 1, leaseMs: 60_000 });
    await expectKillSwitchPasses(lane);
  });

  it('runs one change at a time while the event loop is late, and never none', async () => {
    let lag = 100;
    const lane = new ChangeLane(() => lag, 20, { concurrency: 4, leaseMs: 60_000 });
    const changes = Array.from({ length: 3 }, held);
    for (const c of changes) void lane.submit(c.work);
    await vi.waitFor(() => expect(changes[0]!.started()).toBe(true));
    expect(lane.load).toMatchObject({ active: 1, queued: 2 });
    lag = 0;
    changes[0]!.finish();
    await vi.waitFor(() => expect(changes.filter((c) => c.started())).toHaveLength(3));
    for (const c of changes) c.finish();
  });

  it('lends a slot for at most its lease: a long workflow does not hold up the changes behind it', async () => {
    const lane = new ChangeLane(() => 0, 20, { concurrency: 1, leaseMs: 10 });
    const release = held();
    const flag = held();
    void lane.submit(release.work);
    void lane.submit(flag.work);
    await vi.waitFor(() => expect(flag.started()).toBe(true));
    expect(release.started()).toBe(true);
    release.finish();
    flag.finish();
  });

  it('runs one change at a time while commands arrive in a flood, never drops one, and opens up after', async () => {
    let now = 0;
    const lane = new ChangeLane(() => 0, 20, {
      concurrency: 4,
      leaseMs: 60_000,
      floodArrivals: 3,
      floodWindowMs: 100,
      now: () => now,
    });
    for (let i = 0; i < 3; i++) lane.noteArrival();
    expect(lane.flooded).toBe(true);
    const changes = Array.from({ length: 4 }, held);
    const done = changes.map((c) => lane.submit(c.work));
    await vi.waitFor(() => expect(changes[0]!.started()).toBe(true));
    expect(lane.load).toMatchObject({ active: 1, queued: 3 });
    // Still flooded: the next one starts only when the first is done, in order.
    changes[0]!.finish();
    await vi.waitFor(() => expect(changes[1]!.started()).toBe(true));
    expect(lane.load).toMatchObject({ active: 1, queued: 2 });
    // The flood is over (no arrival within the window): the rest run side by side.
    now = 1_000;
    expect(lane.flooded).toBe(false);
    changes[1]!.finish();
    await vi.waitFor(() => expect(changes.filter((c) => c.started())).toHaveLength(4));
    for (const c of changes) c.finish();
    await Promise.all(done);
    expect(lane.load).toEqual({ active: 0, queued: 0, urgent: 0 });
  });

  it('counts a few commands as no flood: changes keep running side by side', async () => {
    let now = 0;
    const lane = new ChangeLane(() => 0, 20, { concurrency: 4, floodArrivals: 3, now: () => now });
    lane.noteArrival();
    now = 50;
    lane.noteArrival();
    now = 500;
    lane.noteArrival();
    expect(lane.flooded).toBe(false);
    const changes = Array.from({ length: 2 }, held);
    for (const c of changes) void lane.submit(c.work);
    await vi.waitFor(() => expect(changes.filter((c) => c.started())).toHaveLength(2));
    for (const c of changes) c.finish();
  });

  it('lets the kill switch past a flood at once', async () => {
    const lane = new ChangeLane(() => 0, 20, { concurrency: 4, floodArrivals: 2, now: () => 0 });
    lane.noteArrival();
    lane.noteArrival();
    await expectKillSwitchPasses(lane);
  });
});
