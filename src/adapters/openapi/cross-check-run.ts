/** Run openapi-diff on two documents in a worker thread, with a heap cap and a timeout. */
import { Worker } from 'node:worker_threads';

/** One breaking difference as openapi-diff reports it. */
export interface ForeignFinding {
  code: string;
  entity: string;
  /** e.g. "paths./op-1.post.requestBody.content.application/json.schema". */
  location: string;
}

export type RunResult =
  | { kind: 'ok'; breaking: ForeignFinding[] }
  /** openapi-diff refused the input: deterministic, so worth caching. */
  | { kind: 'refused'; reason: string }
  /** Timed out, out of memory or crashed: may pass next time. */
  | { kind: 'failed'; reason: string };

export interface RunLimits {
  timeoutMs: number;
  maxOldGenerationSizeMb: number;
}

/** Compare `base` and `revision` (OpenAPI 3.0 JSON text) with openapi-diff, never longer than the limits allow. */
export function runOpenApiDiff(base: string, revision: string, limits: RunLimits): Promise<RunResult> {
  return new Promise((resolve) => {
    let settled = false;
    // Plain JavaScript, so Node runs it without a loader from source and from the build alike.
    const worker = new Worker(new URL('./cross-check-worker.mjs', import.meta.url), {
      workerData: { base, revision },
      // The young generation is part of the heap too; keep it small so the cap means what it says.
      resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 32 },
      stdout: true,
      stderr: true,
    });
    // Discard anything it prints: in shell mode our stdout is the user's terminal.
    worker.stdout.resume();
    worker.stderr.resume();
    const finish = (result: RunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // terminate() stops the worker even inside a synchronous loop; nothing of it outlives this call.
      void worker.terminate().catch(() => undefined);
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ kind: 'failed', reason: `openapi-diff did not finish within ${limits.timeoutMs / 1000} s` }),
      limits.timeoutMs,
    );
    worker.on('message', (m: unknown) => {
      if (isOk(m)) finish({ kind: 'ok', breaking: m.breaking });
      else
        finish({
          kind: 'refused',
          reason: `openapi-diff refused the input (${isFailure(m) ? m.error : 'no reason given'})`,
        });
    });
    worker.on('error', (err: Error & { code?: string }) => {
      finish({
        kind: 'failed',
        reason:
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `openapi-diff ran out of memory (${limits.maxOldGenerationSizeMb} MiB cap)`
            : `openapi-diff crashed (${err.message.split('\n')[0]})`,
      });
    });
    worker.on('exit', (code) =>
      finish({ kind: 'failed', reason: `openapi-diff stopped without an answer (exit code ${code})` }),
    );
  });
}

function isOk(m: unknown): m is { ok: true; breaking: ForeignFinding[] } {
  if (typeof m !== 'object' || m === null || (m as { ok?: unknown }).ok !== true) return false;
  const list = (m as { breaking?: unknown }).breaking;
  return (
    Array.isArray(list) &&
    list.every(
      (f) =>
        typeof f === 'object' &&
        f !== null &&
        typeof f.code === 'string' &&
        typeof f.location === 'string' &&
        typeof f.entity === 'string',
    )
  );
}

function isFailure(m: unknown): m is { ok: false; error: string } {
  return typeof m === 'object' && m !== null && typeof (m as { error?: unknown }).error === 'string';
}
