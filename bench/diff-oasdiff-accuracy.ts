/**
 * Accuracy against oasdiff's own checker tests: the pairs in bench/fixtures/oasdiff-cases/ (made by
 * oasdiff-cases-extract.ts) are diffed with `--profile oasdiff` and the deprecation periods each
 * test configured; "breaking" is compared with the ERR-level ids the upstream tests assert.
 * Run: `npx tsx bench/diff-oasdiff-accuracy.ts` (or `npm run bench -- diff-accuracy`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffDocuments } from '../src/adapters/openapi/engine.ts';
import { parseSpecText } from '../src/adapters/openapi/load.ts';
import type { DiffOptions } from '../src/ports/spec-diff.ts';

const DIR = join(import.meta.dirname, 'fixtures/oasdiff-cases');
/** A fixed "today": the fixtures' sunset dates are far in the past (2023) or future (9999). */
const TODAY = '2026-12-06';

/** One scored pair. */
export interface OasdiffCase {
  id: string;
  category: string;
  confidence: 'high' | 'medium';
  expected: 'yes' | 'no' | 'warn';
  actual: boolean;
  rules: string[];
  error?: string;
}

/** Diff every pair under a profile. */
export function runOasdiffCases(profile: DiffOptions['profile'] = 'oasdiff'): OasdiffCase[] {
  const [head, ...lines] = readFileSync(join(DIR, 'cases.tsv'), 'utf8').trim().split('\n');
  const cols = head!.split('\t');
  const out: OasdiffCase[] = [];
  for (const line of lines) {
    const f = Object.fromEntries(line.split('\t').map((v, i) => [cols[i], v])) as Record<string, string>;
    const load = (p: string): unknown => parseSpecText(readFileSync(join(DIR, p), 'utf8'), p);
    const [beta, stable] = (f.deprecation_days || '0,0').split(',').map(Number);
    const category = /check_(\w+?)_test\.go/.exec(f.upstream_test!)?.[1] ?? 'other';
    const base = {
      id: f.case!,
      category,
      confidence: f.confidence as OasdiffCase['confidence'],
      expected: f.expected_breaking as OasdiffCase['expected'],
    };
    try {
      const report = diffDocuments(load(f.base!), load(f.revision!), {
        profile,
        today: TODAY,
        deprecationDays: { beta: beta!, stable: stable! },
      });
      const rules = report.changes.filter((c) => c.severity === 'breaking').map((c) => c.rule);
      out.push({ ...base, actual: rules.length > 0, rules });
    } catch (err) {
      out.push({ ...base, actual: false, rules: [], error: (err as Error).message });
    }
  }
  return out;
}

/** Recall/precision for "breaking" ("warn" counts as not breaking). */
export function rates(cases: OasdiffCase[]): { tp: number; fp: number; fn: number; recall: number; precision: number } {
  const tp = cases.filter((c) => c.expected === 'yes' && c.actual).length;
  const fp = cases.filter((c) => c.expected !== 'yes' && c.actual).length;
  const fn = cases.filter((c) => c.expected === 'yes' && !c.actual).length;
  return {
    tp,
    fp,
    fn,
    recall: tp + fn ? (100 * tp) / (tp + fn) : 100,
    precision: tp + fp ? (100 * tp) / (tp + fp) : 100,
  };
}

/** Print the table docs/BENCHMARKS.md holds. */
export function benchOasdiffAccuracy(): void {
  for (const profile of ['oasdiff', 'autorisen'] as const) {
    const all = runOasdiffCases(profile);
    for (const [label, cases] of [
      ['high confidence', all.filter((c) => c.confidence === 'high')],
      ['all', all],
    ] as const) {
      const r = rates(cases);
      console.log(
        `--profile ${profile}, ${label}: n=${cases.length} tp=${r.tp} fp=${r.fp} fn=${r.fn} recall=${r.recall.toFixed(1)}% precision=${r.precision.toFixed(1)}%`,
      );
    }
    if (profile !== 'oasdiff') continue;
    for (const c of all.filter((x) => (x.expected === 'yes') !== x.actual))
      console.log(
        `  miss ${c.id} (${c.confidence}) [${c.category}] expected ${c.expected}, got ${c.rules.join(',') || 'nothing'}${c.error ? ` (${c.error})` : ''}`,
      );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) benchOasdiffAccuracy();
