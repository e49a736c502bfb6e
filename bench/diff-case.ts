/** One benchmark case in its own process, so peak memory (maxRSS) belongs to that case alone. */
import { readFileSync } from 'node:fs';
import { diffDocuments } from '../src/adapters/openapi/engine.ts';
import { parseSpecText } from '../src/adapters/openapi/load.ts';

const [tool, basePath, revPath] = process.argv.slice(2) as [string, string, string];
const baseText = readFileSync(basePath, 'utf8');
const revText = readFileSync(revPath, 'utf8');
const started = performance.now();
let summary = '';
if (tool === 'ours' || tool === 'ours-oasdiff') {
  const report = diffDocuments(parseSpecText(baseText, basePath), parseSpecText(revText, revPath), {
    profile: tool === 'ours' ? 'autorisen' : 'oasdiff',
    today: '2026-12-06',
  });
  summary = `${report.summary.breaking} breaking, ${report.summary.warning} warning, ${report.summary.nonBreaking} non-breaking`;
} else {
  try {
    const { default: openapiDiff } = await import('openapi-diff');
    const outcome = await openapiDiff.diffSpecs({
      sourceSpec: { content: baseText, location: basePath, format: 'openapi3' },
      destinationSpec: { content: revText, location: revPath, format: 'openapi3' },
    });
    summary = outcome.breakingDifferencesFound ? `${outcome.breakingDifferences.length} breaking` : '0 breaking';
  } catch (err) {
    summary = `error: ${(err as Error).message.split('\n')[0]!.slice(0, 120)}`;
  }
}
const ms = performance.now() - started;
// maxRSS is in KiB (process.resourceUsage docs).
process.stdout.write(`${JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, summary })}\n`);
