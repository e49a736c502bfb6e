/**
 * Text helpers for Slack's length limits: cut with a visible ellipsis, or split at line breaks.
 * A cut never lands inside a UTF-16 surrogate pair (half an emoji is an invalid character Slack
 * shows as "�") nor inside an mrkdwn escape such as `&amp;` (half of one shows as "&am").
 */

const ELLIPSIS = '…';

/** Longest escape entity we write (`&amp;`); a cut looks this far back for an unfinished one. */
const MAX_ENTITY = 5;

/** The largest cut position ≤ `at` that splits neither a surrogate pair nor an `&…;` entity. */
export function safeCut(text: string, at: number): number {
  let cut = Math.max(0, Math.min(at, text.length));
  const code = text.charCodeAt(cut - 1);
  if (cut > 0 && cut < text.length && code >= 0xd800 && code <= 0xdbff) cut--; // high surrogate left alone
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= 0 && cut - amp < MAX_ENTITY) {
    const end = text.indexOf(';', amp);
    if (end >= cut && /^&(amp|lt|gt);/.test(text.slice(amp, end + 1))) cut = amp;
  }
  return cut;
}

/** Cut `text` to at most `max` characters, ending in "…" when something was removed. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, safeCut(text, Math.max(0, max - ELLIPSIS.length))) + ELLIPSIS;
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
    if (cut < max / 2) cut = safeCut(rest, max); // no useful line break: hard cut, at a safe place
    if (cut === 0) cut = max; // cannot happen with max ≥ 6; never loop for ever
    chunks.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  if (rest.length > 0 || chunks.length === 0) chunks.push(rest);
  return chunks;
}
