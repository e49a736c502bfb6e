import type { Args } from './command.ts';

/** Split a command line into words, honouring "double" and 'single' quotes and Slack's smart quotes. */
export function tokenize(text: string): string[] {
  const normalised = text.replace(/[\u201C\u201D]/g, '"').replace(/[\u2018\u2019]/g, "'");
  const words: string[] = [];
  let current = '';
  let quote: string | null = null;
  let inWord = false;
  for (const ch of normalised) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** `--name value`, `--name=value` and bare `--flag` become flags; everything else is positional. */
export function parseArgs(words: string[]): Args {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      if (eq > 0) {
        flags[w.slice(2, eq)] = w.slice(eq + 1);
      } else {
        const next = words[i + 1];
        // Boolean flags never take a value; every other flag takes the next word if it isn't a flag.
        if (next !== undefined && !next.startsWith('--') && !BOOLEAN_FLAGS.has(w.slice(2))) {
          flags[w.slice(2)] = next;
          i++;
        } else flags[w.slice(2)] = true;
      }
    } else positional.push(w);
  }
  return { positional, flags };
}

/** Flags that never take a value, so `--dry-run production` keeps "production" positional. */
const BOOLEAN_FLAGS = new Set(['dry-run', 'force', 'all', 'help']);

/** Levenshtein distance, for "did you mean …?" on unknown sub-commands. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
