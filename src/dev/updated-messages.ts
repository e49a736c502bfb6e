import type { Message } from '../core/message.ts';
import { renderText } from './render-text.ts';

/** The bot opens a message that is still at work (a run's root, a diff being computed) with this code. */
const AT_WORK = ':hourglass_flowing_sand:';

interface Shown {
  /** The message's lines as last received. */
  lines: string[];
  /** Every rendering received so far: one seen again is a flip-flop, not news. */
  seen: Set<string>;
}

/**
 * What the shell prints when a message is updated in place. Slack rewrites the message silently;
 * a terminal can only append, so reprinting it whole at every update buries the thread (a release
 * rewrote its 13-line root 32 times). The first version is printed whole; while the message is at
 * work an update prints one line with what changed (a step done, the next started, waiting for an
 * approval); a state shown before prints nothing (a bake's running ↔ waiting ticks); the final
 * version, or one with buttons to number, is printed whole again.
 */
export class UpdatedMessages {
  private readonly shown = new Map<string, Shown>();

  /** Record `message` as the new version of `key`: 'whole' to print it all, a line of changes, or null for nothing. */
  change(key: string, message: Message): 'whole' | string | null {
    const text = renderText(message);
    const lines = text.split('\n');
    const prev = this.shown.get(key);
    if (!prev) {
      this.shown.set(key, { lines, seen: new Set([text]) });
      return 'whole';
    }
    const before = prev.lines;
    prev.lines = lines;
    if (message.buttons?.length) return 'whole';
    if (prev.seen.has(text)) return null;
    prev.seen.add(text);
    if (!message.text.startsWith(AT_WORK) || lines.length !== before.length) return 'whole';
    const changed = lines.flatMap((line, i) => (line === before[i] ? [] : [{ line, i }]));
    // The headline only repeats the step count when a step line moved; it is the news when nothing else is.
    const news = changed.length > 1 ? changed.filter((c) => c.i !== 0) : changed;
    return news.map((c) => c.line.trim()).join(' · ') || null;
  }
}
