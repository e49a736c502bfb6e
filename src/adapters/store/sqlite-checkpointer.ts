import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL back into the database file. */
export const SQLITE_CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * WAL frames (pages, 4 KiB each) past which the checkpointer restarts the WAL (16 MiB); the WAL file
 * is also truncated back to this size when it starts over (`journal_size_limit`, sqlite.ts).
 */
export const SQLITE_WAL_RESTART_FRAMES = 4096;

/** A running background checkpointer. */
export interface Checkpointer {
  /** Stop it and close its connection (before the main connection closes). */
  stop(): Promise<void>;
}

/**
 * Run WAL checkpoints for the SQLite file at `path` on a worker thread. better-sqlite3 is
 * synchronous, so SQLite's automatic checkpoint (every 1000 pages, run inside whichever COMMIT
 * crosses it) blocks the event loop while it copies pages and fsyncs: under an alert storm that
 * was about half the time spent in COMMIT. The caller turns its own automatic checkpoints off
 * and calls `onFailure` to turn them back on should the worker stop, so the WAL never grows unbounded.
 */
export function startCheckpointer(
  path: string,
  onFailure: (reason: string) => void,
  intervalMs = SQLITE_CHECKPOINT_INTERVAL_MS,
  restartFrames = SQLITE_WAL_RESTART_FRAMES,
): Checkpointer {
  // Plain JavaScript, so Node runs it without a loader from source and from the build alike.
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.mjs', import.meta.url), {
    workerData: { path, intervalMs, restartFrames },
  });
  // Never keeps the process alive on its own.
  worker.unref();
  let stopped = false;
  let ready = false;
  const fail = (reason: string) => {
    if (!stopped) onFailure(reason);
    stopped = true;
  };
  worker.on('message', (m: { error?: string; ready?: boolean }) => {
    if (m.ready) ready = true;
    if (m.error !== undefined) fail(m.error);
  });
  worker.on('error', (err) => fail(err.message));
  worker.on('exit', (code) => fail(`checkpoint worker exited (code ${code})`));
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Ref'd while we wait for it, or an otherwise idle process would exit mid-await.
      worker.ref();
      // Not ready yet: it has run no checkpoint (the first comes intervalMs after it is ready), so
      // there is nothing to finish; do not wait for it to load better-sqlite3 only to close again.
      if (ready) worker.postMessage('stop');
      else void worker.terminate();
      await exited;
    },
  };
}
