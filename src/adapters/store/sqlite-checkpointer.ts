import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL back into the database file. */
export const SQLITE_CHECKPOINT_INTERVAL_MS = 1_000;

/**
 * WAL frames (pages, 4 KiB each) past which the checkpointer restarts the WAL (16 MiB); the WAL file
 * is also truncated back to this size when it starts over (`journal_size_limit`, sqlite.ts).
 */
export const SQLITE_WAL_RESTART_FRAMES = 4096;

/** How long a RESTART checkpoint may wait for the write lock and for readers to move on. */
export const SQLITE_RESTART_WAIT_MS = 100;

/** A running background checkpointer. */
export interface Checkpointer {
  /** Run one checkpoint now and wait for it; true when it started the WAL over (tests drive it this way). */
  tick(): Promise<boolean>;
  /** Stop it and close its connection (before the main connection closes). */
  stop(): Promise<void>;
}

export interface CheckpointerOptions {
  /** Between checkpoints; 0 = only when `tick()` asks. */
  intervalMs?: number;
  restartFrames?: number;
  restartWaitMs?: number;
  /** Told (asynchronously) just before a RESTART checkpoint starts waiting for readers and writers. */
  onRestarting?: () => void;
}

type FromWorker = { error?: string; ready?: true; restarting?: true; ticked?: true; restarted?: boolean };

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
  opts: CheckpointerOptions = {},
): Checkpointer {
  // Plain JavaScript, so Node runs it without a loader from source and from the build alike.
  const worker = new Worker(new URL('./sqlite-checkpoint-worker.mjs', import.meta.url), {
    workerData: {
      path,
      intervalMs: opts.intervalMs ?? SQLITE_CHECKPOINT_INTERVAL_MS,
      restartFrames: opts.restartFrames ?? SQLITE_WAL_RESTART_FRAMES,
      restartWaitMs: opts.restartWaitMs ?? SQLITE_RESTART_WAIT_MS,
    },
  });
  // Never keeps the process alive on its own.
  worker.unref();
  let stopped = false;
  let ready = false;
  /** Asked ticks waiting for their answer, oldest first (the worker answers in order). */
  const asked: { resolve: (restarted: boolean) => void; reject: (err: Error) => void }[] = [];
  const fail = (reason: string) => {
    for (const t of asked.splice(0)) t.reject(new Error(reason));
    if (!stopped) onFailure(reason);
    stopped = true;
  };
  worker.on('message', (m: FromWorker) => {
    if (m.ready) ready = true;
    if (m.error !== undefined) fail(m.error);
    else if (m.restarting) opts.onRestarting?.();
    else if (m.ticked) asked.shift()?.resolve(m.restarted === true);
  });
  worker.on('error', (err) => fail(err.message));
  worker.on('exit', (code) => fail(`checkpoint worker exited (code ${code})`));
  return {
    tick() {
      if (stopped) return Promise.reject(new Error('the checkpointer is stopped'));
      return new Promise((resolve, reject) => {
        asked.push({ resolve, reject });
        worker.ref();
        worker.postMessage('tick');
      }).finally(() => asked.length === 0 && worker.unref()) as Promise<boolean>;
    },
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
