import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';

/**
 * `BENCH_CPU_PROF=<dir>`: a V8 CPU profile of this process while `fn` runs, written to
 * `<dir>/<label>.cpuprofile` (open it in Chrome DevTools or speedscope). Only around one measured
 * run, unlike `node --cpu-prof`, so bare Bolt's run and the warm-up do not blur where our CPU goes.
 * Without the variable `fn` just runs.
 */
export async function profiled<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
