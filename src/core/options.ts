import { nearestName, type Token } from './parse.ts';

/** Tokenised arguments: `flag on production --reason "x" --dry-run`. */
export interface Args {
  positional: string[];
  flags: Record<string, string | true>;
}

/**
 * The options a command declares next to its parse function (issue 9 §2). The shared parse step
 * (`readArgs`) accepts exactly these, so a typo, an unknown option or a stray word is an error
 * rather than silently ignored.
 */
export interface OptionSpec {
  /** Canonical name without dashes, lower case: `reason`, `dry-run`. */
  name: string;
  /** `flag`: present or not (`--force`); `value`: takes the next word or `--name=value`. */
  kind: 'flag' | 'value';
  /** Other accepted names (without dashes). */
  aliases?: readonly string[];
}

/** How many positional words a command takes at most (`Infinity` for free text such as a lock reason). */
export type PositionalLimit = number;

/** Every command understands `--help`. */
export const HELP_OPTION: OptionSpec = { name: 'help', kind: 'flag' };
/** Every action command understands `--dry-run`: show the plan, change nothing. */
export const DRY_RUN_OPTION: OptionSpec = { name: 'dry-run', kind: 'flag' };

/** What a command line declares: its options and how many positional words it takes. */
export interface ArgSpec {
  options: readonly OptionSpec[];
  maxPositionals: PositionalLimit;
}

export type ReadArgsResult = { ok: true; args: Args } | { ok: false; error: string };

/**
 * A word that reads as the dry-run option in any spelling: `--dry-run`, `--DRY-RUN`, `—dry-run`
 * (macOS turns `--` into an em dash), `-dry-run`, `--dryrun`, `--dry_run`, `dry-run`.
 */
export function looksLikeDryRun(word: string): boolean {
  const w = word.replace(/^["'\u201C\u201D\u2018\u2019(]+|["'\u201C\u201D\u2018\u2019),.;:!?]+$/gu, '');
  return /^(?:-{1,2}|[\u2014\u2013\u2212]-?)?dry[-_\u2010\u2011]?run$/iu.test(w);
}

/** `—name` / `–name` (smart dashes Slack clients substitute for `--`) read as `--name`. */
function dashes(word: string): string {
  return word.replace(/^[\u2014\u2013]-?(?=\p{L})/u, '--');
}

/**
 * Turn a command's tokens (after its name) into `Args`, by its declared spec:
 * - option names match case-insensitively (`--DRY-RUN` is `--dry-run`);
 * - an unknown option is an error with a "did you mean";
 * - a value option needs a value (`--reason "…"` or `--reason=…`), a flag takes none;
 * - an option given twice, a word past the positionals the command takes, or a word that reads as
 *   `--dry-run` anywhere but as the option itself is an error — so `--dry-run` can never be lost.
 */
export function readArgs(tokens: readonly Token[], spec: ArgSpec, commandName: string): ReadArgsResult {
  const byName = new Map<string, OptionSpec>();
  for (const o of spec.options) for (const n of [o.name, ...(o.aliases ?? [])]) byName.set(n.toLowerCase(), o);
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  const fail = (error: string): ReadArgsResult => ({ ok: false, error });
  const known = () => spec.options.map((o) => `--${o.name}`).join(', ');

  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    const word = tok.quoted ? tok.text : dashes(tok.text);
    if (!tok.quoted && /^-{1,2}$/.test(word)) return fail(`"${word}" on its own is not an option.`);
    if (!tok.quoted && /^-[^-\d]/u.test(word)) {
      const name = word.slice(1).split('=')[0]!;
      return fail(
        `Options start with two dashes: \`-${name}\` should be \`--${name}\`. Quote it if it is text; nothing was run.`,
      );
    }
    if (tok.quoted || !word.startsWith('--')) {
      // Word by word: a quoted positional such as “prod --dry-run“ hides the option inside it.
      if (tok.text.split(/\s+/u).some(looksLikeDryRun)) return dryRunMisplaced(tok.text, tok.quoted);
      positional.push(tok.text);
      continue;
    }
    const eq = word.indexOf('=');
    const typed = eq > 0 ? word.slice(2, eq) : word.slice(2);
    const opt = byName.get(typed.toLowerCase());
    if (!opt) {
      const near = nearestName(typed, byName.keys());
      const hint = near ? ` Did you mean \`--${near}\`?` : '';
      const takes = spec.options.length > 0 ? ` It takes ${known()}.` : ' It takes no options.';
      return fail(`\`${commandName}\` has no option \`--${typed}\`.${hint}${takes} Nothing was run.`);
    }
    if (flags[opt.name] !== undefined) return fail(`\`--${opt.name}\` is given twice; give it once. Nothing was run.`);
    if (opt.kind === 'flag') {
      if (eq > 0) return fail(`\`--${opt.name}\` takes no value; write just \`--${opt.name}\`. Nothing was run.`);
      flags[opt.name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = word.slice(eq + 1);
    else {
      const next = tokens[i + 1];
      const nextIsOption = next !== undefined && !next.quoted && /^(?:-|[\u2014\u2013])/u.test(next.text);
      if (next !== undefined && !nextIsOption) {
        value = next.text;
        i++;
      }
    }
    if (value === undefined || value.trim() === '')
      return fail(`\`--${opt.name}\` needs a value, e.g. \`--${opt.name} "…"\`. Nothing was run.`);
    if (value.split(/\s+/u).some(looksLikeDryRun)) return dryRunMisplaced(value, true);
    flags[opt.name] = value;
  }
  if (positional.length > spec.maxPositionals) {
    const extra = positional.slice(spec.maxPositionals).join(' ');
    const takes =
      spec.maxPositionals === 0 ? 'takes no words' : `takes at most ${spec.maxPositionals} word(s) before its options`;
    return fail(`Unexpected "${extra}": \`${commandName}\` ${takes}; quote text given to an option. Nothing was run.`);
  }
  return { ok: true, args: { positional, flags } };
}

function dryRunMisplaced(text: string, quoted: boolean): ReadArgsResult {
  const where = quoted ? `inside the quoted text "${text}"` : `as "${text}"`;
  return {
    ok: false,
    error:
      `\`--dry-run\` appears ${where}, not as the option. To see the plan, write \`--dry-run\` on its own outside ` +
      'any quotes; to make the change, leave it out. Nothing was run.',
  };
}
