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
  let stopped = false;
  let ready = false;
  /** Asked ticks waiting for their answer, oldest first (the worker answers in order). */
  const asked: { resolve: (restarted: boolean) => void; reject: (err: Error) => void }[] = [];
  const fail = (reason: string) => {
    for (const t of asked.splice(0)) t.reject(new Error(reason));
    if (!stopped) onFailure(reason);
    stopped = true;
  };
  const intervalMs = opts.intervalMs ?? SQLITE_CHECKPOINT_INTERVAL_MS;
  let worker: Worker | null = null;
  const started = (): Worker => {
    if (worker) return worker;
    // Plain JavaScript, so Node runs it without a loader from source and from the build alike.
    worker = new Worker(new URL('./sqlite-checkpoint-worker.mjs', import.meta.url), {
      workerData: {
        path,
        intervalMs,
        restartFrames: opts.restartFrames ?? SQLITE_WAL_RESTART_FRAMES,
        restartWaitMs: opts.restartWaitMs ?? SQLITE_RESTART_WAIT_MS,
      },
    });
    // Never keeps the process alive on its own.
    worker.unref();
    worker.on('message', (m: FromWorker) => {
      if (m.ready) ready = true;
      if (m.error !== undefined) fail(m.error);
      else if (m.restarting) opts.onRestarting?.();
      else if (m.ticked) asked.shift()?.resolve(m.restarted === true);
    });
    worker.on('error', (err) => fail(err.message));
    worker.on('exit', (code) => fail(`checkpoint worker exited (code ${code})`));
    return worker;
  };
  // Started one interval after open rather than at once, so boot does not also pay for a second
  // isolate loading better-sqlite3 (docs/BENCHMARKS.md, start-up); the first checkpoint was due an
  // interval after the worker is ready anyway, and a tick starts it at once.
  const deferred = intervalMs > 0 ? setTimeout(() => stopped || started(), intervalMs) : null;
  deferred?.unref();
  return {
    tick() {
      if (stopped) return Promise.reject(new Error('the checkpointer is stopped'));
      const w = started();
      return new Promise((resolve, reject) => {
        asked.push({ resolve, reject });
        w.ref();
        w.postMessage('tick');
      }).finally(() => asked.length === 0 && w.unref()) as Promise<boolean>;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (deferred) clearTimeout(deferred);
      const w = worker;
      if (!w) return;
      const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
      // Ref'd while we wait for it, or an otherwise idle process would exit mid-await.
      w.ref();
      // Not ready yet: it has run no checkpoint (the first comes intervalMs after it is ready), so
      // there is nothing to finish; do not wait for it to load better-sqlite3 only to close again.
      if (ready) w.postMessage('stop');
      else void w.terminate();
      await exited;
    },
  };
}
