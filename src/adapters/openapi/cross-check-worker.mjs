// @ts-check
/**
 * The openapi-diff cross-check, run in a worker thread with a heap cap (see cross-check-run.ts) so
 * its time and memory blow-ups on large or nested specs can never block or kill the bot.
 * Plain JavaScript, so Node runs it without a TypeScript loader from source and from the build alike
 * (scripts/build.mjs copies it): from source, registering tsx inside the thread took seconds of the
 * 5 s limit on a busy machine, so the tests' cross-checks timed out (docs/BENCHMARKS.md, "Test suite").
 * In: workerData = { base: string, revision: string } (OpenAPI 3.0 JSON text).
 * Out: one message { ok: true, breaking: [{ code, entity, location }] } or { ok: false, error }.
 */
import { parentPort, workerData } from 'node:worker_threads';

/** @param {unknown} err */
const firstLine = (err) =>
  String(err instanceof Error ? err.message : err)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 2)
    .join(' ')
    .slice(0, 200);

/** @type {{ base: string; revision: string }} */
const { base, revision } = workerData;
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
