// @ts-check
/**
 * WAL checkpoints for one SQLite file, on this worker thread's own connection (see
 * sqlite-checkpointer.ts), so copying the WAL back into the database and its fsyncs never block
 * the bot's event loop. PASSIVE never waits for or blocks readers and writers (sqlite.org/c3ref/wal_checkpoint_v2.html).
 * Plain JavaScript, not TypeScript: Node runs it as it is, from source and from the build alike
 * (scripts/build.mjs copies it). A `.ts` worker needed tsx's loader registered inside the thread from
 * source, which cost about 0.3 s of CPU and up to a second before it could stop:
 * every test that opened a SQLite database paid that (docs/BENCHMARKS.md, "Test suite").
 * In: workerData = { path, intervalMs (0 = only when asked), restartFrames, restartWaitMs };
 *     "tick" runs one checkpoint now; "stop" closes it.
 * Out: { ready: true } once its connection is open; { restarting: true } before a RESTART checkpoint;
 *      { ticked: true, restarted } after an asked tick; { error: string } once if the checkpoints
 *      cannot run (the owner then checkpoints itself).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (!port) throw new Error('sqlite-checkpoint-worker runs as a worker thread only');
/** restartWaitMs: how long a RESTART checkpoint may wait for the write lock and for readers to move on. */
/** @type {{ path: string; intervalMs: number; restartFrames: number; restartWaitMs: number }} */
const { path, intervalMs, restartFrames, restartWaitMs } = workerData;

try {
  const db = new Database(path, { fileMustExist: true, timeout: 0 });
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  /** One checkpoint; true when the WAL was past the limit and a RESTART went through. */
  const tick = () => {
    try {
      const { log } = /** @type {{ busy: number; log: number; checkpointed: number }} */ (checkpoint.get());
      // Under steady writes a PASSIVE checkpoint never catches up with the last frame, so no writer
      // ever starts the WAL over: it grew by hundreds of MB a minute at 500 commands a second, and
      // every read searched a longer WAL index. Past the limit, RESTART takes the write lock briefly
      // (the bot's writes back off asynchronously, sqlite.ts) so the next writer starts it over.
      if (log < restartFrames) return false;
      port.postMessage({ restarting: true });
      db.pragma(`busy_timeout = ${restartWaitMs}`);
      try {
        const [r] = /** @type {{ busy: number }[]} */ (db.pragma('wal_checkpoint(RESTART)'));
        return r?.busy === 0;
      } finally {
        db.pragma('busy_timeout = 0');
      }
    } catch (err) {
      // SQLITE_BUSY: another checkpoint is running (a second instance on the file); next tick.
      if (!String(/** @type {{ code?: unknown }} */ (err)?.code).startsWith('SQLITE_BUSY')) throw err;
      return false;
    }
  };
  const fail = (/** @type {unknown} */ err) =>
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          try {
            tick();
          } catch (err) {
            clearInterval(timer);
            fail(err);
          }
        }, intervalMs)
      : undefined;
  port.on('message', (/** @type {unknown} */ m) => {
    if (m === 'tick') {
      try {
        port.postMessage({ ticked: true, restarted: tick() });
      } catch (err) {
        clearInterval(timer);
        fail(err);
      }
      return;
    }
    if (m !== 'stop') return;
    clearInterval(timer);
    db.close();
    port.close();
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  port.close();
}
