import { afterAll } from 'vitest';
import { resetFakeTimestamps } from '../fakes/fake-heroku-model.ts';
import { stopLeftoverApps } from './live-apps.ts';

/**
 * Runs before each test file (vitest.config.ts `setupFiles`). Files share their worker's modules
 * (`isolate: false`), so what a module keeps between files starts over here and what a file
 * started ends with it: each file sees what it would see alone. Counters that only keep ids unique
 * (the harnesses' `seq`) need no reset.
 */
resetFakeTimestamps();
// Registered before the file's own hooks, so it runs after them: only what they left running.
afterAll(stopLeftoverApps);
