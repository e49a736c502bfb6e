import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests boot real HTTP servers and databases; forks keep native modules isolated.
    pool: 'forks',
    // Vitest's default is one worker fewer than there are cores: a single worker on CI's 2 cores.
    // Most files spend their time waiting on sockets, SQLite, PostgreSQL and timers, not on the
    // CPU, so two workers per core keep both cores busy (docs/BENCHMARKS.md, "Test suite").
    maxWorkers: Math.max(2, availableParallelism() * 2),
    testTimeout: 30_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    hookTimeout: 30_000,
  },
});
