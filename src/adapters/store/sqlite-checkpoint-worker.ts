/**
 * WAL checkpoints for one SQLite file, on this worker thread's own connection (see
 * sqlite-checkpointer.ts), so copying the WAL back into the database and its fsyncs never block
 * the bot's event loop. PASSIVE never waits for or blocks readers and writers (sqlite.org/c3ref/wal_checkpoint_v2.html).
 * Started through ../worker-thread.ts (compiled `.js` in the build, tsx from source).
 * In: workerData = { path: string, intervalMs: number }; the message "stop" closes it.
 * Out: { error: string } once if the checkpoints cannot run (the owner then checkpoints itself).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const port = parentPort;
if (!port) throw new Error('sqlite-checkpoint-worker runs as a worker thread only');
const { path, intervalMs } = workerData as { path: string; intervalMs: number };

try {
  const db = new Database(path, { fileMustExist: true, timeout: 0 });
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  const tick = () => {
    try {
      checkpoint.get();
    } catch (err) {
      // SQLITE_BUSY: another checkpoint is running (a second instance on the file); next tick.
      if (!String((err as { code?: unknown })?.code).startsWith('SQLITE_BUSY')) throw err;
    }
  };
  const timer = setInterval(() => {
    try {
      tick();
    } catch (err) {
      clearInterval(timer);
      port.postMessage({ error: err instanceof Error ? err.message : String(err) });
    }
  }, intervalMs);
  port.on('message', (m: unknown) => {
    if (m !== 'stop') return;
    clearInterval(timer);
    db.close();
    port.close();
  });
} catch (err) {
  port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  port.close();
}
