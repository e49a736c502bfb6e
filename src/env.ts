/**
 * The one module that reads `process.env` (house rule 7, issue 10 §3). Entry points (src/main.ts,
 * src/migrate.ts, src/cli/main.ts) call `processEnv()` once and hand the result on; everything
 * else — loadConfig above all — receives an `Env`, so tests inject theirs.
 */

/** Environment variables as given to the process: a snapshot, never the live object. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A copy of this process's environment. */
export function processEnv(): Env {
  return Object.freeze({ ...process.env });
}
