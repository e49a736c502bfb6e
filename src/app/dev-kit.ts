import type { Config } from '../config.ts';

/**
 * The local shell's pieces from src/dev (the shell, the sandbox, `/drain-replay`), loaded only in
 * shell mode: an HTTP or Socket Mode bot never runs them, so it does not load them at boot either
 * (docs/BENCHMARKS.md, start-up; test/integration/production-build.test.ts checks it).
 */
export async function loadDevKit(config: Config) {
  if (config.mode !== 'shell') return null;
  const [{ Shell }, { createSandbox }, { replayDrain, replayHint }] = await Promise.all([
    import('../dev/shell.ts'),
    import('../dev/sandbox.ts'),
    import('../dev/drain-replay.ts'),
  ]);
  return { Shell, createSandbox, replayDrain, replayHint };
}

/** What shell mode adds to the composition root; null in HTTP and Socket Mode. */
export type DevKit = NonNullable<Awaited<ReturnType<typeof loadDevKit>>>;
