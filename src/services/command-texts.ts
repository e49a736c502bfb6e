import { parseInput } from '../core/command-line.ts';
import type { AnyCommand, CommandRegistry } from '../ports/command.ts';

/** "Usage: …" with examples, for parse errors and --help. */
export function usageText(cmd: AnyCommand): string {
  const ex = cmd.examples.length > 0 ? `\nExamples:\n${cmd.examples.map((e) => `  /autorisen ${e}`).join('\n')}` : '';
  return `Usage: /autorisen ${cmd.usage}${ex}`;
}

/** The answer to words that name no command: the verbs of a known family, or the nearest command. */
export function unknownCommandText(registry: CommandRegistry, words: readonly string[]): string {
  const family = registry.family(words[0]!);
  if (family.length > 0) {
    const verbs = family.map((c) => c.name.split(' ')[1]).join(', ');
    return `\`/autorisen ${words[0]}\` needs one of: ${verbs}.\n${family.map((c) => `  /autorisen ${c.usage}`).join('\n')}`;
  }
  const near = registry.nearest(words);
  const hint = near ? ` Did you mean \`/autorisen ${near}\`?` : '';
  return `I don't know \`/autorisen ${words.slice(0, 2).join(' ')}\`.${hint} Try \`/autorisen help\` for the list.`;
}

/** Whether an action's text asks only for a dry run, read exactly as the dispatcher parses it (pure). */
export function isDryRun(cmd: AnyCommand, tokens: Parameters<typeof parseInput>[1]): boolean {
  const parsed = parseInput(cmd, tokens);
  return parsed.ok && 'dryRun' in parsed && parsed.dryRun;
}
