import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allCommands as commands } from '../../src/catalog.ts';
import { parseCommandText } from '../../src/core/command-line.ts';
import { looksLikeDryRun } from '../../src/core/options.ts';
import { Registry } from '../../src/core/registry.ts';

/**
 * Issue 9 §2 as properties: generated flag and lock command texts, then mutated the way people and
 * Slack clients mangle them (inserted quotes, typographic quotes, case changes, misspelt options,
 * extra words, dry-run spellings). A text only ever runs a change when it parses to exactly the
 * command it was, and never when it carries `--dry-run` in any spelling.
 */
const registry = new Registry(commands);

interface Ast {
  cmd: 'flag on' | 'flag off';
  env: 'staging' | 'production' | 'prod';
  reason: string | null;
  force: boolean;
  dryRun: boolean;
}

const reasonText = fc
  .array(fc.constantFrom(...'abc xyz 42 errors are back don\u2019t it\u2019s -5% ok'.split(' ')), {
    minLength: 1,
    maxLength: 5,
  })
  .map((w) => w.join(' '));

const ast: fc.Arbitrary<Ast> = fc.record({
  cmd: fc.constantFrom('flag on' as const, 'flag off' as const),
  env: fc.constantFrom('staging' as const, 'production' as const, 'prod' as const),
  reason: fc.option(reasonText, { nil: null }),
  force: fc.boolean(),
  dryRun: fc.boolean(),
});

/** The text a careful user types for `a`, options in the given order. */
function render(a: Ast, order: number[]): string {
  const opts = [
    a.reason !== null ? `--reason "${a.reason}"` : '',
    a.force ? '--force' : '',
    a.dryRun ? '--dry-run' : '',
  ];
  return [a.cmd, a.env, ...order.map((i) => opts[i]!)].filter(Boolean).join(' ');
}

/** Names and aliases of the environments in the test configs. */
const ENV_NAMES = ['staging', 'stage', 'stg', 'autorisen', 'production', 'prod', 'capecraft'];

const QUOTES = ['"', "'", '\u201C', '\u201D', '\u2018', '\u2019', '\u201E', '\u00AB'];
const EXTRA = [
  'extra',
  'production',
  '--namespace',
  '/api/',
  '--user',
  '@ana',
  '<@U123|ana>',
  '--dry-run',
  '--DRY-RUN',
  '\u2014dry-run',
  '-dry-run',
  'dryrun',
  '--dryrun',
  '--dry_run',
  '"--dry-run"',
  '--reason',
  '--reason=x',
  '--',
  '-',
  '=',
];

type Mutation = (text: string) => string;

const insertAt = (text: string, pos: number, piece: string) => {
  const chars = [...text];
  const at = pos % (chars.length + 1);
  return [...chars.slice(0, at), piece, ...chars.slice(at)].join('');
};

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.constantFrom(...QUOTES)).map(
    ([p, q]) =>
      (t: string) =>
        insertAt(t, p, q),
  ),
  fc.constantFrom<Mutation>(
    (t) => t.replace(/"([^"]*)"/, '\u201C$1\u201D'),
    (t) => t.replace(/"([^"]*)"/, '\u2018$1\u2019'),
    (t) => t.replace(/"([^"]*)"/, "'$1'"),
    (t) => t.replace(/--/g, '\u2014'),
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 12 })).map(([p, n]) => (t: string) => {
    const chars = [...t];
    const at = p % (chars.length + 1);
    return [...chars.slice(0, at), ...chars.slice(at, at + n).map((c) => c.toUpperCase()), ...chars.slice(at + n)].join(
      '',
    );
  }),
  // Misspell an option: drop, double or swap a letter inside one `--word`.
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('drop', 'double', 'swap')).map(([k, p, how]) => (t: string) => {
    const opts = [...t.matchAll(/--[a-z-]+/gi)];
    if (opts.length === 0) return t;
    const m = opts[k % opts.length]!;
    const word = m[0];
    const i = 2 + (p % (word.length - 2));
    const w =
      how === 'drop'
        ? word.slice(0, i) + word.slice(i + 1)
        : how === 'double'
          ? word.slice(0, i) + word[i] + word.slice(i)
          : word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
    return t.slice(0, m.index) + w + t.slice(m.index! + word.length);
  }),
  // An extra word at a word boundary.
  fc.tuple(fc.nat(), fc.constantFrom(...EXTRA)).map(([p, extra]) => (t: string) => {
    const parts = t.split(' ');
    const at = p % (parts.length + 1);
    return [...parts.slice(0, at), extra, ...parts.slice(at)].join(' ');
  }),
);

/** True when some whitespace-separated piece of the raw text reads as --dry-run. */
const carriesDryRun = (text: string) => text.split(/\s+/u).some(looksLikeDryRun);

describe('command-line parsing, property-based', () => {
  it('a carefully typed command parses to exactly itself', () => {
    fc.assert(
      fc.property(ast, fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }), (a, order) => {
        const r = parseCommandText(registry, render(a, order));
        expect(r).toMatchObject({
          ok: true,
          dryRun: a.dryRun,
          input: { env: a.env, reason: a.reason, force: a.force },
        });
        expect(r.command?.name).toBe(a.cmd);
      }),
      { numRuns: 500 },
    );
  });

  it('a mutated command runs a change only when it still says exactly that change, never with --dry-run', () => {
    fc.assert(
      fc.property(
        ast,
        fc.shuffledSubarray([0, 1, 2], { minLength: 3, maxLength: 3 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (a, order, mutations) => {
          const text = mutations.reduce((t, m) => m(t), render(a, order));
          const r = parseCommandText(registry, text);
          if (!r.ok || r.dryRun) return; // nothing runs
          // It would run: the dry run was not lost, and nothing that reads as one is in the text…
          expect(a.dryRun, text).toBe(false);
          expect(carriesDryRun(text), text).toBe(false);
          // …and it is the same command with the same --force, on the same environment (or on a name no
          // environment has, such as s"taging, which the command refuses before it plans anything).
          const input = r.input as { env: string; force: boolean };
          expect(r.command.name, text).toBe(a.cmd);
          if (ENV_NAMES.includes(input.env.toLowerCase())) expect(input.env.toLowerCase(), text).toBe(a.env);
          expect(input.force, text).toBe(a.force);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('any text with a --dry-run spelling in it never runs a change', () => {
    const spelling = fc.constantFrom('--dry-run', '--DRY-RUN', '--Dry-Run', '\u2014dry-run', '--dry_run', 'dry-run');
    fc.assert(
      fc.property(ast, spelling, fc.nat(), fc.array(mutation, { maxLength: 2 }), (a, dry, p, mutations) => {
        const words = render(a, [0, 1, 2]).split(' ');
        const at = p % (words.length + 1);
        const text = mutations.reduce((t, m) => m(t), [...words.slice(0, at), dry, ...words.slice(at)].join(' '));
        const r = parseCommandText(registry, text);
        if (carriesDryRun(text)) expect(!r.ok || r.dryRun, text).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
