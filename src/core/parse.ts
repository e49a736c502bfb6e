/**
 * Tokenising `/autorisen …` text. Strict on purpose (issue 9 §2): a quote that is never closed is an
 * error naming it, because reading on would swallow whatever follows it — `--dry-run` included — into
 * a value and run the change for real.
 */

/** One word of a command line; `quoted` when any part of it was inside quotes (then it is never an option). */
export interface Token {
  text: string;
  quoted: boolean;
  /** 1-based character (code point) position of its first character in the text. */
  at: number;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; error: string };

/**
 * Opening quote → the characters that close it. ASCII quotes close only with themselves, so a
 * typographic quote inside "…" is literal text; Slack (macOS, iOS) turns typed quotes into “…” and ‘…’.
 */
const CLOSERS: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\u201C': '\u201D\u201C', // “…” (and “…“ in some locales)
  '\u201E': '\u201C\u201D', // „…“ (German)
  '\u2018': '\u2019\u2018', // ‘…’
  '\u201A': '\u2018\u2019', // ‚…‘
};

const isSpace = (ch: string | undefined): boolean => ch === undefined || /\s/u.test(ch);

/**
 * Split a command line into words, honouring quotes:
 * - a quote opens only at the start of a word (or right after `=` in `--reason="…"`), so the
 *   apostrophe in `don't` is text;
 * - it closes only on its closing character followed by a space or the end of the text;
 * - an unclosed quote is an error that names the character and its position;
 * - Slack's escapes `<@U123|ana>`, `<#C123|rollout>`, `<!subteam^S123|@ops>`, `<https://…|…>` stay one word.
 */
export function tokenize(text: string): TokenizeResult {
  const chars = [...text];
  const tokens: Token[] = [];
  let i = 0;
  while (i < chars.length) {
    if (isSpace(chars[i])) {
      i++;
      continue;
    }
    const start = i;
    let word = '';
    let quoted = false;
    while (i < chars.length && !isSpace(chars[i])) {
      const ch = chars[i]!;
      const canOpen = i === start || chars[i - 1] === '=';
      if (canOpen && CLOSERS[ch] !== undefined) {
        const closers = CLOSERS[ch];
        let j = i + 1;
        while (j < chars.length && !(closers.includes(chars[j]!) && isSpace(chars[j + 1]))) {
          // The same quote opening a word inside the quoted text: the first one was probably never
          // closed, and reading on would take the words after it (maybe --dry-run) as text.
          if ((chars[j] === ch || closers.includes(chars[j]!)) && isSpace(chars[j - 1]))
            return { ok: false, error: unbalanced(chars, i) };
          j++;
        }
        if (j >= chars.length) return { ok: false, error: unbalanced(chars, i) };
        word += chars.slice(i + 1, j).join('');
        quoted = true;
        i = j + 1;
        continue;
      }
      if (ch === '<' && i === start) {
        // Slack's escaped mention or link: up to its `>`, spaces included (a display name may have one).
        const close = chars.indexOf('>', i);
        if (close > i && (close + 1 === chars.length || isSpace(chars[close + 1]))) {
          word += chars.slice(i, close + 1).join('');
          i = close + 1;
          continue;
        }
      }
      word += ch;
      i++;
    }
    tokens.push({ text: word, quoted, at: start + 1 });
  }
  return { ok: true, tokens };
}

function unbalanced(chars: string[], at: number): string {
  const ch = chars[at]!;
  const context = chars
    .slice(Math.max(0, at - 12), at + 20)
    .join('')
    .trim();
  return (
    `Unbalanced quote: the ${ch} at character ${at + 1} (…${context}…) is never closed, so I can't tell where ` +
    `its text ends. Close it (e.g. --reason "…") or remove it; nothing was run.`
  );
}

/** Just the words (for callers that only need them). Throws on an unbalanced quote. */
export function words(text: string): string[] {
  const r = tokenize(text);
  if (!r.ok) throw new Error(r.error);
  return r.tokens.map((t) => t.text);
}

/** Levenshtein distance, for "did you mean …?" on unknown sub-commands and options. */
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

/** The closest of `names` to `typed`, when near enough to be a typo. */
export function nearestName(typed: string, names: Iterable<string>): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = editDistance(typed.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(typed.length / 3)) ? best.name : undefined;
}
