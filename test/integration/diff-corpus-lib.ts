/** Runs the diff engine over the oapi-corpus and scores its "breaking" verdicts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffDocuments } from '../../src/adapters/openapi/engine.ts';
import { parseSpecText } from '../../src/adapters/openapi/load.ts';
import type { DiffOptions } from '../../src/ports/spec-diff.ts';

export const CORPUS_DIR = join(import.meta.dirname, '../fixtures/oapi-corpus');

/** One scored pair. */
export interface CorpusCase {
  id: string;
  area: string;
  expected: 'yes' | 'no' | 'warn';
  actual: boolean;
  error?: string;
  rules: string[];
}

/** Score per group: true/false positives and negatives. */
export interface Score {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/**
 * Run the high-confidence pairs. `strict` uses OpenAPITools' strict column: our engine treats a
 * loosened response range or a tightened request length as breaking (as oasdiff does), which
 * OpenAPITools only does with its off-by-default checks.
 */
export function runCorpus(strict = true, options: DiffOptions = {}): CorpusCase[] {
  const lines = readFileSync(join(CORPUS_DIR, 'expectations.tsv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split('\t');
  const col = (name: string): number => header.indexOf(name);
  const out: CorpusCase[] = [];
  for (const line of lines.slice(1)) {
    const f = line.split('\t');
    if (f[col('confidence')] !== 'high') continue;
    const expected = f[col(strict ? 'expected_breaking_strict' : 'expected_breaking')] as CorpusCase['expected'];
    const area = areaOf(f[col('change_kind')]!, f[col('source')]!);
    const load = (p: string): unknown => parseSpecText(readFileSync(join(CORPUS_DIR, p), 'utf8'), p);
    try {
      const report = diffDocuments(load(f[col('base')]!), load(f[col('revision')]!), options);
      const rules = report.changes.filter((c) => c.severity === 'breaking').map((c) => c.rule);
      out.push({ id: f[col('case')]!, area, expected, actual: rules.length > 0, rules });
    } catch (err) {
      out.push({ id: f[col('case')]!, area, expected, actual: false, error: (err as Error).message, rules: [] });
    }
  }
  return out;
}

/** Group key: oasdiff `direction/area`, OpenAPITools' property family. */
function areaOf(kind: string, source: string): string {
  if (source === 'oasdiff') {
    const parts = kind.split('/');
    return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : 'oasdiff/none';
  }
  if (kind === 'changed-but-compatible' || kind === 'none' || kind === '(default-config)')
    return 'openapitools/compatible-or-other';
  return `openapitools/${kind.split('_')[0]}`;
}

/** Tally true/false positives; `warn` counts as not breaking. */
export function score(cases: CorpusCase[]): Score {
  const s: Score = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const c of cases) {
    const exp = c.expected === 'yes';
    if (exp && c.actual) s.tp++;
    else if (!exp && c.actual) s.fp++;
    else if (exp && !c.actual) s.fn++;
    else s.tn++;
  }
  return s;
}

/** Recall and precision in percent (100 when undefined). */
export function rates(s: Score): { recall: number; precision: number } {
  return {
    recall: s.tp + s.fn ? (100 * s.tp) / (s.tp + s.fn) : 100,
    precision: s.tp + s.fp ? (100 * s.tp) / (s.tp + s.fp) : 100,
  };
}
