/**
 * The openapi-diff cross-check, run in a worker thread with a heap cap (see cross-check-run.ts) so
 * its time and memory blow-ups on large or nested specs can never block or kill the bot.
 * Started through ../worker-thread.ts (compiled `.js` in the build, tsx from source).
 * In: workerData = { base: string, revision: string } (OpenAPI 3.0 JSON text).
 * Out: one message { ok: true, breaking: [{ code, entity, location }] } or { ok: false, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';

const firstLine = (err: unknown): string =>
  String(err instanceof Error ? err.message : err)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(' ')
    .slice(0, 200);

const { base, revision } = workerData as { base: string; revision: string };
try {
  const { default: openapiDiff } = await import('openapi-diff');
  const outcome = await openapiDiff.diffSpecs({
    sourceSpec: { content: base, location: 'base', format: 'openapi3' },
    destinationSpec: { content: revision, location: 'revision', format: 'openapi3' },
  });
  const breaking = outcome.breakingDifferencesFound
    ? outcome.breakingDifferences.map((d) => ({
        code: d.code,
        entity: d.entity,
        location: (d.destinationSpecEntityDetails[0] ?? d.sourceSpecEntityDetails[0])?.location ?? '',
      }))
    : [];
  parentPort?.postMessage({ ok: true, breaking });
} catch (err) {
  parentPort?.postMessage({ ok: false, error: firstLine(err) });
}
