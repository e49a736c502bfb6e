import { DRY_RUN_OPTION, HELP_OPTION, readArgs } from './options.ts';
import { QUEUE_OPTION, queueable } from './lock-queue.ts';
import { BREAK_GLASS_OPTION, breakGlassable, REASON_OPTION, type BreakGlassAsk } from './break-glass.ts';
import { tokenize, type Token } from './parse.ts';
import type { RegisteredCommand, Registry } from './registry.ts';

/**
 * From `/autorisen …` text to a command and its input: the one road every transport and button
 * takes (the dispatcher runs the two steps with the role check between them). A command that
 * changes anything can only run when the whole text parsed cleanly.
 */

/** Step 1: the words, and which command they name. */
export type SplitResult<C> =
  | { ok: true; words: string[]; found: { command: C; consumed: number } | undefined; tokens: Token[] }
  | { ok: false; error: string; firstWord: string };

export function splitCommand<C extends RegisteredCommand>(registry: Registry<C>, text: string): SplitResult<C> {
  const t = tokenize(text);
  if (!t.ok) return { ok: false, error: t.error, firstWord: text.trim().split(/\s+/u)[0] ?? '' };
  const tokens = t.tokens.length > 0 ? t.tokens : [{ text: 'help', quoted: false, at: 1 }];
  const words = tokens.map((w) => w.text);
  // A quoted word never names a command: `"flag" on` is not how anyone types it.
  const found = tokens.slice(0, 2).some((w) => w.quoted) ? undefined : registry.resolve(words);
  return { ok: true, words, found, tokens: tokens.slice(found?.consumed ?? 0) };
}

/** Step 2: the command's input from the rest of the words, by its declared options. */
export type InputResult =
  | { ok: true; input: unknown; dryRun: boolean; queue?: boolean; breakGlass?: BreakGlassAsk }
  | { ok: true; help: true }
  | { ok: false; error: string };

export function parseInput(command: RegisteredCommand, rest: readonly Token[]): InputResult {
  // issue 23 §3: changes a lock may refuse also take `--queue` (wait for the lock instead of a refusal).
  const queue = queueable(command) ? [QUEUE_OPTION] : [];
  // issue 23 §2: `--break-glass` (with a `--reason`, unless the command takes one itself).
  const ownsReason = (command.options ?? []).some((o) => o.name === 'reason');
  const glass = breakGlassable(command) ? [BREAK_GLASS_OPTION, ...(ownsReason ? [] : [REASON_OPTION])] : [];
  const options = [
    HELP_OPTION,
    ...(command.kind === 'action' ? [DRY_RUN_OPTION] : []),
    ...queue,
    ...glass,
    ...(command.options ?? []),
  ];
  const read = readArgs(rest, { options, maxPositionals: command.maxPositionals }, command.name);
  if (!read.ok) return read;
  if (read.args.flags.help === true) return { ok: true, help: true };
  const dryRun = read.args.flags['dry-run'] === true;
  const { help: _h, 'dry-run': _d, queue: _q, 'break-glass': _b, ...own } = read.args.flags;
  const reason = typeof own.reason === 'string' ? own.reason.trim() : null;
  if (!ownsReason && own.reason !== undefined) {
    if (_b !== true)
      return { ok: false, error: `\`--reason\` goes with \`--break-glass\` on \`${command.name}\`. Nothing was run.` };
    delete own.reason;
  }
  const parsed = command.parse({ positional: read.args.positional, flags: own });
  if (!parsed.ok) return { ok: false, error: parsed.error };
  return {
    ok: true,
    input: parsed.input,
    dryRun,
    ...(_q === true ? { queue: true } : {}),
    ...(_b === true ? { breakGlass: { reason: reason || null } } : {}),
  };
}

/** Both steps, for callers with no role check in between (tests, property tests). */
export type LineResult<C> =
  | { ok: true; command: C; input: unknown; dryRun: boolean }
  | { ok: false; error: string; command?: C };

export function parseCommandText<C extends RegisteredCommand>(registry: Registry<C>, text: string): LineResult<C> {
  const split = splitCommand(registry, text);
  if (!split.ok) return split;
  if (!split.found) return { ok: false, error: `unknown command "${split.words.slice(0, 2).join(' ')}"` };
  const command = split.found.command;
  const r = parseInput(command, split.tokens);
  if (!r.ok) return { ...r, command };
  if ('help' in r) return { ok: false, error: 'help', command };
  return { ok: true, command, input: r.input, dryRun: r.dryRun };
}
