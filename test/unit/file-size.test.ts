import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/built-package.ts';

/** House style: small files, one concept each (ARCHITECTURE.md). Fixtures are vendor payloads, exempt. */
const MAX_LINES = 300;
const DIRS = ['src', 'commands', 'bench', 'test'];
const EXEMPT = ['test/fixtures'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const rel = relative(ROOT, path);
    if (EXEMPT.some((e) => rel === e || rel.startsWith(`${e}/`))) continue;
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('file size', () => {
  it(`no file in ${DIRS.join(', ')} is over ${MAX_LINES} lines (split it along a real seam)`, () => {
    const over = DIRS.flatMap((d) => {
      try {
        return sourceFiles(join(ROOT, d));
      } catch {
        return []; // a directory this checkout does not have
      }
    })
      .map((path) => ({ path: relative(ROOT, path), lines: readFileSync(path, 'utf8').split('\n').length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.path} (${f.lines} lines)`)
      .sort();
    // All of them at once, one per line, so one run names everything to split.
    expect(over.join('\n')).toBe('');
  });
});
