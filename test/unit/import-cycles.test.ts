import { describe, expect, it } from 'vitest';
import { importCycles, importGraph } from '../support/import-graph.ts';
import { ROOT } from '../support/built-package.ts';

describe('import cycles', () => {
  it('finds a cycle it is shown, and none in a tree', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    expect(importCycles(graph)).toEqual([
      ['e.ts', 'e.ts'],
      ['a.ts', 'b.ts', 'c.ts', 'a.ts'],
    ]);
    expect(
      importCycles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('src/ and commands/ import each other without cycles (type imports included)', () => {
    const cycles = importCycles(importGraph(ROOT, ['src', 'commands']));
    // All of them at once, one per line, so one run shows everything to untangle.
    expect(cycles.map((c) => c.join(' → ')).join('\n')).toBe('');
  });
});
