import { describe, expect, it } from 'vitest';
import { rates, runOasdiffCases } from '../../bench/diff-oasdiff-accuracy.ts';

/*
 * Accuracy gate for `--profile oasdiff` over the pairs oasdiff's own checker tests assert
 * (bench/fixtures/oasdiff-cases/, docs/BENCHMARKS.md): a team swapping oasdiff for this tool in
 * CI keeps its verdicts. "warn" counts as not breaking.
 */
describe('--profile oasdiff against oasdiff checker cases', () => {
  const cases = runOasdiffCases('oasdiff');

  it('never throws on a case', () => {
    expect(cases.filter((c) => c.error).map((c) => `${c.id}: ${c.error}`)).toEqual([]);
  });

  it('reaches 95% recall and 95% precision for "breaking" (high-confidence pairs, and all pairs)', () => {
    const high = rates(cases.filter((c) => c.confidence === 'high'));
    const all = rates(cases);
    expect(cases.filter((c) => c.confidence === 'high').length).toBeGreaterThan(120);
    expect(high.recall).toBeGreaterThanOrEqual(95);
    expect(high.precision).toBeGreaterThanOrEqual(95);
    expect(all.recall).toBeGreaterThanOrEqual(95);
    expect(all.precision).toBeGreaterThanOrEqual(95);
  });
});
