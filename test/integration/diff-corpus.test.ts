import { describe, expect, it } from 'vitest';
import { rates, runCorpus, score, type CorpusCase } from './diff-corpus-lib.ts';

/*
 * Accuracy gate over 257 high-confidence pairs from the OpenAPITools/openapi-diff and oasdiff test
 * suites (test/fixtures/oapi-corpus/README.md). "warn" counts as not breaking. For OpenAPITools
 * pairs the strict column is used: our engine, like oasdiff, calls a loosened response range a break.
 */
describe('diff engine accuracy on the oapi-corpus', () => {
  const cases = runCorpus(true);

  it('never throws on a corpus pair', () => {
    expect(cases.filter((c) => c.error).map((c) => `${c.id}: ${c.error}`)).toEqual([]);
  });

  it('reaches 90% recall and 95% precision for "breaking"', () => {
    const byArea = new Map<string, CorpusCase[]>();
    for (const c of cases) byArea.set(c.area, [...(byArea.get(c.area) ?? []), c]);
    const rows = [...byArea]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([area, list]) => {
        const s = score(list);
        const r = rates(s);
        return `${area.padEnd(36)} n=${String(list.length).padStart(3)} tp=${s.tp} fp=${s.fp} fn=${s.fn} tn=${s.tn} recall=${r.recall.toFixed(1)}% precision=${r.precision.toFixed(1)}%`;
      });
    const total = score(cases);
    const overall = rates(total);
    console.log(
      [
        ...rows,
        `overall n=${cases.length} ${JSON.stringify(total)} recall=${overall.recall.toFixed(1)}% precision=${overall.precision.toFixed(1)}%`,
      ].join('\n'),
    );
    expect(cases.length).toBeGreaterThan(250);
    expect(overall.recall).toBeGreaterThanOrEqual(90);
    expect(overall.precision).toBeGreaterThanOrEqual(95);
  });
});
