/**
 * Slack's escaped references in command text. With `should_escape: true` on the slash command
 * (manifest.yml), what a user picks from Slack's autocomplete arrives escaped:
 * `@ana` → `<@U123|ana>` (or `<@U123>`), `#rollout` → `<#C123|rollout>`, `@ops` → `<!subteam^S123|@ops>`
 * (https://docs.slack.dev/interactivity/implementing-slash-commands#escaping).
 */
export type Mention =
  | { kind: 'user'; id: string; label: string | null }
  | { kind: 'channel'; id: string; label: string | null }
  | { kind: 'group'; id: string; label: string | null };

const PATTERNS: [Mention['kind'], RegExp][] = [
  ['user', /^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$/],
  ['channel', /^<#([CG][A-Z0-9]+)(?:\|([^>]*))?>$/],
  ['group', /^<!subteam\^(S[A-Z0-9]+)(?:\|([^>]*))?>$/],
];

/** The mention a word is, or null. */
export function parseMention(word: string): Mention | null {
  for (const [kind, re] of PATTERNS) {
    const m = re.exec(word.trim());
    if (m) return { kind, id: m[1]!, label: m[2]?.replace(/^@/, '') || null };
  }
  return null;
}

export type UserRef = { ok: true; id: string } | { ok: false; error: string };

/** A user from `<@U123|ana>`, `<@U123>` or a bare id `U123ABC`; a plain `@ana` says how to pick the user. */
export function userRef(word: string): UserRef {
  const m = parseMention(word);
  if (m?.kind === 'user') return { ok: true, id: m.id };
  if (m) return { ok: false, error: `"${m.label ?? m.id}" is a ${m.kind}, not a user.` };
  if (/^[UW][A-Z0-9]{2,}$/.test(word)) return { ok: true, id: word };
  if (word.startsWith('@'))
    return {
      ok: false,
      error: `Slack did not recognise "${word}" as a person: pick them from the list that appears as you type @, or give their user id (U…).`,
    };
  return { ok: false, error: `"${word}" is not a Slack user mention or id; write @ and pick the person.` };
}
