/**
 * Outside text never becomes markup. Message text is Slack mrkdwn (the shell renders it plain), in
 * which `<!here>`, `<!channel>`, `<@U…>` and `<url|label>` are live. Slack's rule: escape `&`, `<`
 * and `>` in any text that is not ours (docs.slack.dev/messaging/formatting-message-text#escaping).
 * So an alert title, a reason, a commit message or build output goes through `escapeMrkdwn`, or,
 * better, through the `md` tag, where the literal parts are the bot's own markup and every
 * interpolated value is outside text unless wrapped as `Markup` (`mention`, `channelRef`, `link`).
 */

/** Escape outside text for mrkdwn: `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;` (nothing else, per Slack). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text the bot wrote itself (a mention, a link): `md` inserts it unescaped. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Mark bot-authored mrkdwn as such. Never pass outside text here. */
export function markup(text: string): Markup {
  return new Markup(text);
}

/** A live mention of a Slack user id (`<@U…>`); anything that is not an id is escaped text. */
export function mention(userId: string): Markup {
  return new Markup(/^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId));
}

/** A channel link (`<#C…>`). */
export function channelRef(channelId: string): Markup {
  return new Markup(/^[CGD][A-Z0-9]{2,}$/.test(channelId) ? `<#${channelId}>` : escapeMrkdwn(channelId));
}

/** A link with a label; both may come from outside (a generatorURL, a runbook), so both are escaped. */
export function link(url: string, label: string): Markup {
  // `|` ends the URL part of a link, so one inside the URL is percent-encoded.
  return new Markup(`<${escapeMrkdwn(url).replace(/\|/g, '%7C')}|${escapeMrkdwn(label)}>`);
}

/**
 * Tagged template for message text: md`*${title}* fired` escapes `title`; a `Markup` value (from
 * `mention`, `link`, `markup`) or an array of them is kept as written. null/undefined print nothing.
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1]!;
  return out;
}

function piece(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Markup) return v.text;
  if (Array.isArray(v)) return v.map(piece).join('');
  return escapeMrkdwn(String(v));
}

/** Undo `escapeMrkdwn`, for renderers that show plain text (the shell). `&amp;` last, so `&amp;lt;` stays `&lt;`. */
export function unescapeMrkdwn(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
