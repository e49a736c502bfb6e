import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayDrain } from '../../src/dev/drain-replay.ts';
import type { DrainSink } from '../../src/services/drain/logdrain-intake.ts';

const sample = fileURLToPath(new URL('../../examples/logdrain-sample.txt', import.meta.url));

/** Replays the shipped recording at `now` and returns the minute each line landed in, relative to the last. */
async function minutesAt(now: number): Promise<{ minutes: number[]; last: number }> {
  const ats: number[] = [];
  const sink: DrainSink = {
    accept: async (post) => {
      for (const m of post.messages) ats.push(m.at);
      return { duplicate: false, counted: post.messages.length };
    },
  };
  await replayDrain(`${sample} staging`, {
    sink,
    envs: ['staging'],
    defaultEnv: 'staging',
    now: () => now,
    afterwards: async () => {},
  });
  const last = Math.max(...ats);
  return { minutes: ats.map((a) => Math.floor(a / 60_000) - Math.floor(last / 60_000)), last };
}

describe('/drain-replay shifts a recording by whole minutes', () => {
  it('groups lines into the same minutes whatever second of the minute it runs at', async () => {
    // Failed before: shifting the last line onto "now" exactly moved minute boundaries with the
    // wall clock, so the minute holding the recording's 30 s H12 sometimes had too few requests for
    // its p95 to be anything but 30 s, and the sandbox's metrics chart (and its test) changed.
    const base = Date.UTC(2026, 11, 6, 12, 0, 0);
    const a = await minutesAt(base + 1_000);
    const b = await minutesAt(base + 42_500);
    expect(b.minutes).toEqual(a.minutes);
    // The last line still lands in the last minute before "now", never in the future.
    for (const [r, now] of [
      [a, base + 1_000],
      [b, base + 42_500],
    ] as const) {
      expect(r.last).toBeLessThanOrEqual(now);
      expect(r.last).toBeGreaterThan(now - 60_000);
    }
  });
});
