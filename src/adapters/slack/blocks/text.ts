/** Text helpers for Slack's length limits: cut with a visible ellipsis, or split at line breaks. */

const ELLIPSIS = '…';

/** Cut `text` to at most `max` characters, ending in "…" when something was removed. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - ELLIPSIS.length)) + ELLIPSIS;
}

/**
 * Split `text` into chunks of at most `max` characters, preferring line breaks, so a long
 * section becomes several sections instead of being rejected by Slack.
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = max; // no useful line break: hard cut
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}
