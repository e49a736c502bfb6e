import { resetFakeTimestamps } from '../fakes/fake-heroku-model.ts';

/**
 * Runs before each test file (vitest.config.ts `setupFiles`). Files share their worker's modules
 * (`isolate: false`), so state a module keeps between calls starts over here: a file sees what it
 * would see alone. Counters that only keep ids unique (the harnesses' `seq`) need no reset.
 */
resetFakeTimestamps();
