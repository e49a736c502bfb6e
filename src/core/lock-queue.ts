import { RUN_ACTION } from './command-buttons.ts';
import type { Button } from './message.ts';
import type { OptionSpec } from './options.ts';
import { tokenize } from './parse.ts';

/**
 * Lock queues (issue 23 §3), the pure part: which commands may queue, the `--queue` option the
 * strict parser accepts on them, and the buttons. The kill switch (`flag off`) is not here: it never
 * waits for a lock, so it never queues.
 */
export const QUEUE_OPTION: OptionSpec = { name: 'queue', kind: 'flag' };

/**
 * How long a turn is kept for the person told: while it is open (and the lock is not taken and
 * released again) the next in the queue waits, so the first does not have to race the second.
 */
export const QUEUE_TURN_MS = 15 * 60_000;

/** A change a lock refuses that may wait its turn instead: the command says so (`queueable`). */
export function queueable(command: { kind: string; queueable?: boolean }): boolean {
  return command.kind === 'action' && command.queueable === true;
}

/**
 * The command line without its `--queue` option (any accepted spelling), cut out of the text as
 * typed so quoted reasons stay exactly as they were. "Run now" runs this line.
 */
export function withoutQueueOption(text: string): string {
  const t = tokenize(text);
  if (!t.ok) return text.trim();
  const chars = Array.from(text);
  for (const tok of [...t.tokens].reverse()) {
    if (tok.quoted || !/^(?:--|[\u2014\u2013]-?)queue$/iu.test(tok.text)) continue;
    // With the space before it, so the rest of the line keeps its spacing.
    const start = tok.at - 1;
    const space = start > 0 && /\s/u.test(chars[start - 1]!) ? 1 : 0;
    chars.splice(start - space, Array.from(tok.text).length + space);
  }
  return chars.join('').trim();
}

/** Offered with a refusal because the environment is locked: runs the same line with `--queue`. */
export function queueMeButton(commandText: string): Button {
  return { actionId: RUN_ACTION, label: 'Queue me', value: `${withoutQueueOption(commandText)} --queue` };
}

/** Offered when a queued person's turn comes: the same line, re-planned against what runs now. */
export function runNowButton(commandText: string): Button {
  return { actionId: RUN_ACTION, label: 'Run now', value: commandText, style: 'primary' };
}
