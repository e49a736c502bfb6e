import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMOJI, plain } from '../../src/dev/render-text.ts';

const root = new URL('../..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** `:name:` inside a string the bot writes (after a quote, backtick, space or bracket; before one, or `.`). */
const CODE = /(?<=['"`( ]):([a-z][a-z0-9_+-]*):(?=['"`) .])/g;
/** Colon-delimited words in the sources that are not emoji. */
const NOT_EMOJI = new Set(['memory']); // SQLite's ':memory:' path

describe('Slack emoji codes in the shell (issue 19 item 6)', () => {
  const used = new Set<string>();
  for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'commands'))])
    for (const m of readFileSync(file, 'utf8').matchAll(CODE)) if (!NOT_EMOJI.has(m[1]!)) used.add(m[1]!);

  it('finds the codes the workflows use (the scan works)', () => {
    expect([...used]).toEqual(expect.arrayContaining(['white_small_square', 'arrow_forward', 'white_check_mark']));
  });

  it('every code the bot writes renders as a character or a short word, never raw', () => {
    const missing = [...used].filter((name) => EMOJI[name] === undefined);
    expect(missing).toEqual([]);
    for (const name of used) expect(plain(`:${name}: step`)).not.toMatch(/:[a-z0-9_+-]+:/);
  });

  it('a release step list reads as marks', () => {
    expect(plain(':white_check_mark: CI\n:arrow_forward: Deploy\n:white_small_square: Bake')).toBe(
      '[ok] CI\n▶ Deploy\n· Bake',
    );
  });
});
