/**
 * OpenAPI diff benchmark: our engine vs `openapi-diff` alone, same inputs, same run.
 * Each case runs in a child process (peak RSS per case) with a timeout and a heap cap, so a
 * pathological openapi-diff run is reported as "timed out" / "out of memory" instead of hanging.
 * Run: `npx tsx bench/diff.ts` (prints a Markdown table).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastapiBench, fastapiBenchRevision, githubPair } from './diff-fixtures.ts';

/** One measured case. */
export interface DiffBenchRow {
  pair: string;
  tool: string;
  result: string;
  ms: number | null;
  maxRssMiB: number | null;
}

const CASE = join(import.meta.dirname, 'diff-case.ts');

function runCase(
  tool: string,
  base: string,
  rev: string,
  timeoutMs: number,
  heapMb: number,
): Promise<Omit<DiffBenchRow, 'pair' | 'tool'>> {
  return new Promise((resolve) => {
    const args = [`--max-old-space-size=${heapMb}`, '--import', 'tsx', CASE, tool, base, rev];
    execFile(
      process.execPath,
      args,
      { timeout: timeoutMs, maxBuffer: 1 << 20, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err && (err as { killed?: boolean }).killed)
          return resolve({ result: `timed out after ${timeoutMs / 1000} s`, ms: null, maxRssMiB: null });
        if (err) {
          const oom = /heap out of memory|Allocation failed/i.test(stderr);
          const line = stderr.split('\n').find((l) => /Error|error/.test(l)) ?? stderr.split('\n')[0] ?? 'failed';
          return resolve({
            result: oom ? `out of memory (heap cap ${heapMb} MiB)` : `error: ${line.trim().slice(0, 100)}`,
            ms: null,
            maxRssMiB: null,
          });
        }
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as { ms: number; maxRssMiB: number; summary: string };
        resolve({ result: r.summary, ms: r.ms, maxRssMiB: r.maxRssMiB });
      },
    );
  });
}

/** Run every case and return the rows. */
export async function benchDiff(opts: { openapiDiffTimeoutMs?: number } = {}): Promise<DiffBenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-bench-'));
  const base = fastapiBench();
  const fBase = join(dir, 'fastapi-base.json');
  const fRev = join(dir, 'fastapi-rev.json');
  writeFileSync(fBase, JSON.stringify(base, null, 2));
  writeFileSync(fRev, JSON.stringify(fastapiBenchRevision(base), null, 2));
  const size = (p: string): string => `${(statSync(p).size / 1048576).toFixed(2)} MB`;
  const gh = githubPair();
  const pairs: [string, string, string][] = [
    [`FastAPI 3.1, 500 ops (${size(fBase)})`, fBase, fRev],
    [`FastAPI 3.1, identical (${size(fBase)})`, fBase, fBase],
  ];
  if ('skipped' in gh) console.log(`GitHub spec case skipped: ${gh.skipped}`);
  else
    pairs.push([
      `GitHub api.github.com ${gh.baseVersion} → ${gh.revVersion} (${size(gh.base)} → ${size(gh.revision)})`,
      gh.base,
      gh.revision,
    ]);
  const rows: DiffBenchRow[] = [];
  for (const [pair, b, r] of pairs) {
    rows.push({ pair, tool: 'autorisen engine', ...(await runCase('ours', b, r, 60_000, 1024)) });
    rows.push({
      pair,
      tool: 'openapi-diff 0.24.1',
      ...(await runCase('openapi-diff', b, r, opts.openapiDiffTimeoutMs ?? 120_000, 4096)),
    });
  }
  return rows;
}

/** Rows as a Markdown table. */
export function benchTable(rows: DiffBenchRow[]): string {
  const lines = ['| pair | tool | time | peak RSS | result |', '|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${r.pair} | ${r.tool} | ${r.ms === null ? '—' : `${(r.ms / 1000).toFixed(2)} s`} | ${r.maxRssMiB === null ? '—' : `${Math.round(r.maxRssMiB)} MiB`} | ${r.result} |`,
    );
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(benchTable(await benchDiff()));
}
