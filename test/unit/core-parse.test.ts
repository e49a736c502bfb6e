import { describe, expect, it } from 'vitest';
import { allCommands as commands } from '../../src/catalog.ts';
import { parseCommandText } from '../../src/core/command-line.ts';
import { looksLikeDryRun } from '../../src/core/options.ts';
import { tokenize } from '../../src/core/parse.ts';
import { Registry } from '../../src/core/registry.ts';

const registry = new Registry(commands);
const words = (text: string) => {
  const t = tokenize(text);
  if (!t.ok) throw new Error(t.error);
  return t.tokens.map((w) => w.text);
};
const parse = (text: string) => parseCommandText(registry, text);

describe('tokenize', () => {
  it('keeps quoted reasons together, including Slack smart quotes', () => {
    expect(words('flag on production --reason "staging soaked 2 days"')).toEqual([
      'flag',
      'on',
      'production',
      '--reason',
      'staging soaked 2 days',
    ]);
    expect(words('flag off prod --reason \u201Cerror spike\u201D')).toEqual([
      'flag',
      'off',
      'prod',
      '--reason',
      'error spike',
    ]);
    expect(words("lock staging it's Ana's demo")).toEqual(['lock', 'staging', "it's", "Ana's", 'demo']);
    expect(words(`--reason 'it's fine' x`)).toEqual(['--reason', "it's fine", 'x']);
    expect(words('--reason="two words"')).toEqual(['--reason=two words']);
    expect(words('--reason "a \u201Dquote\u201D inside"')).toEqual(['--reason', 'a \u201Dquote\u201D inside']);
  });

  it('refuses an unbalanced quote, naming the character and where it is', () => {
    for (const [text, ch, at] of [
      ['flag on staging --reason "unbalanced --dry-run', '"', 26],
      ["flag on staging --reason 'single --dry-run", "'", 26],
      ['flag on staging --reason \u201Csmart --dry-run', '\u201C', 26],
    ] as const) {
      const t = tokenize(text);
      expect(t.ok).toBe(false);
      if (!t.ok) expect(t.error).toContain(`the ${ch} at character ${at}`);
    }
  });

  it("keeps Slack's escaped mentions and links as one word, even with a space in the label", () => {
    expect(words('audit --user <@U123|ana maria> 5')).toEqual(['audit', '--user', '<@U123|ana maria>', '5']);
    expect(words('lock staging see <#C123|rollout> and <!subteam^S123|@ops>')).toEqual([
      'lock',
      'staging',
      'see',
      '<#C123|rollout>',
      'and',
      '<!subteam^S123|@ops>',
    ]);
  });
});

describe('the shared parse step, by declared options', () => {
  it('the three texts of issue 9 that really changed staging now change nothing', () => {
    expect(parse('flag on staging --reason "unbalanced --dry-run')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Unbalanced quote: the " at character 26/),
    });
    expect(parse("flag on staging --reason 'single --dry-run")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Unbalanced quote: the ' at character 26/),
    });
    expect(parse('flag on staging --DRY-RUN')).toMatchObject({ ok: true, dryRun: true });
  });

  it('matches option names case-insensitively, and reads smart dashes as --', () => {
    expect(parse('flag on staging --Reason x --FORCE')).toMatchObject({
      ok: true,
      dryRun: false,
      input: { env: 'staging', reason: 'x', force: true },
    });
    expect(parse('flag on staging \u2014dry-run')).toMatchObject({ ok: true, dryRun: true });
  });

  it('refuses unknown options with a "did you mean", and options of other commands', () => {
    expect(parse('flag on staging --dryrun')).toMatchObject({ ok: false, error: expect.stringMatching(/--dry-run/) });
    expect(parse('flag on staging --reasn x')).toMatchObject({
      ok: false,
      error: expect.stringContaining('Did you mean `--reason`?'),
    });
    expect(parse('flag on staging --namespace /x/')).toMatchObject({
      ok: false,
      error: expect.stringContaining('`flag on` has no option `--namespace`'),
    });
    expect(parse('flag on staging --user @ana')).toMatchObject({ ok: false, error: expect.stringContaining('--user') });
  });

  it('refuses a value option without a value, a flag with one, duplicates and stray words', () => {
    expect(parse('flag on staging --reason')).toMatchObject({
      ok: false,
      error: expect.stringContaining('needs a value'),
    });
    expect(parse('flag on staging --reason --force')).toMatchObject({ ok: false });
    expect(parse('flag on staging --dry-run=false')).toMatchObject({
      ok: false,
      error: expect.stringContaining('no value'),
    });
    expect(parse('flag on staging --force --FORCE')).toMatchObject({
      ok: false,
      error: expect.stringContaining('twice'),
    });
    expect(parse('flag on staging production')).toMatchObject({
      ok: false,
      error: expect.stringContaining('"production"'),
    });
    expect(parse('unlock staging now')).toMatchObject({ ok: false });
    expect(parse('flag on staging -dry-run')).toMatchObject({
      ok: false,
      error: expect.stringContaining('two dashes'),
    });
  });

  it('never treats a --dry-run spelling as text: inside a value or as a word it is an error', () => {
    for (const text of [
      'flag on staging --reason "testing --dry-run"',
      'flag on staging --reason=--dry-run',
      'flag on staging "--dry-run"',
      // Found by the property test (seed 2058108184): a quoted positional with the option inside it.
      'flag on \u201Cprod --dry-run\u201C',
      'flag on "staging --dry-run"',
      'lock staging dry-run of the migration',
      'lock staging testing --DRY_RUN',
    ])
      expect(parse(text), text).toMatchObject({ ok: false, error: expect.stringContaining('--dry-run') });
  });

  it('a quoted word never names a command or an option', () => {
    expect(parse('"flag on" staging')).toMatchObject({ ok: false });
    expect(parse('lock staging "--force" please')).toMatchObject({ ok: true, input: { reason: '--force please' } });
  });

  it('recognises dry-run spellings', () => {
    for (const w of [
      '--dry-run',
      '--DRY-RUN',
      '\u2014dry-run',
      '-dry-run',
      '--dryrun',
      '--dry_run',
      'dry-run',
      '"--dry-run"',
    ])
      expect(looksLikeDryRun(w), w).toBe(true);
    for (const w of ['--dry', 'run', 'dryer-run', '--dry-running']) expect(looksLikeDryRun(w), w).toBe(false);
  });
});

describe('registry', () => {
  it('suggests the nearest command for a typo', () => {
    expect(registry.nearest('hlep')).toBe('help');
    expect(registry.nearest('zzzzzzzz')).toBeUndefined();
  });

  it('refuses two commands with the same name', () => {
    expect(() => new Registry([...commands, commands[0]!])).toThrow(/used by both/);
  });
});
