/**
 * Apps a test file booted (test/drivers/boot-app.ts) and has not stopped yet. Test files share a
 * worker (vitest.config.ts, `isolate: false`), so an app a file forgets, such as the first of a
 * restart that only the restarted one was stopped for, would go on running its timers (guard
 * looks, sweeps) in the files after it, on a database that is gone by then. The setup file stops
 * what is left when each file ends.
 */
interface Stoppable {
  stop(): Promise<void>;
}

const live = new Set<Stoppable>();

export function trackApp(app: Stoppable): void {
  live.add(app);
}

export function untrackApp(app: Stoppable): void {
  live.delete(app);
}

/** Stop what is still running, newest first (a restarted app before the one that owns its fakes). */
export async function stopLeftoverApps(): Promise<void> {
  const left = [...live].reverse();
  live.clear();
  for (const app of left) await app.stop();
}
