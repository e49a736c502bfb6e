import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** House rule 7 (issue 10 §3): src/env.ts is the one module that reads `process.env`. */
const root = new URL('../..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : /\.(ts|mts|mjs|js)$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

describe('process.env', () => {
  it('is read only by src/env.ts; everything else receives its env', () => {
    const readers = [...sources('src'), ...sources('commands'), ...sources('bin')].filter((f) =>
      /\bprocess\.env\b/.test(readFileSync(join(root, f), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')),
    );
    expect(readers).toEqual(['src/env.ts']);
  });
});
