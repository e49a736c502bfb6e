import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests boot real HTTP servers and databases; forks keep native modules isolated.
    pool: 'forks',
    // Files run one after another in a worker that keeps its modules: a fresh process per file made
    // each one start Node, Vitest and Bolt and evaluate the bot's modules again, about 40% of the
    // suite's CPU (docs/BENCHMARKS.md, "Test suite"). No test mocks modules, fakes timers or
    // patches globals; the setup file starts the fake Heroku's timestamps over for each file and
    // stops any booted app a file left running (test/support/live-apps.ts).
    isolate: false,
    setupFiles: ['test/support/per-file-setup.ts'],
    // Vitest's default is one worker fewer than there are cores: a single worker on CI's 2 cores.
    // Most files spend their time waiting on sockets, SQLite, PostgreSQL and timers, not on the
    // CPU, so one worker more than there are cores keeps both busy without starving the few
    // CPU-heavy files (the build, openapi-diff's cross-check under its time limit) (docs/BENCHMARKS.md).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 30_000,
    // The JSON report lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
    hookTimeout: 30_000,
  },
});
