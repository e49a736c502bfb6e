import { z } from 'zod';
import { nearestName } from '../core/parse.ts';

/**
 * Building blocks for the config file's schemas (one file per section in src/config/). Every
 * object is strict: an unknown key is an error with a "did you mean", because a misspelt
 * `requires_aproval` or `produciton` would otherwise load as a weaker gate without a word.
 */

/** A strict object whose unknown keys are named, each with the nearest known key. */
export function strict<S extends z.ZodRawShape>(shape: S, what: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => unknownKey(k, known)).join('\n');
      return iss.input === undefined ? `required, expected ${what}` : `expected ${what}`;
    },
  });
}

function unknownKey(key: string, known: readonly string[]): string {
  const near = nearestName(key, known);
  return near
    ? `unknown key; did you mean "${near}"?`
    : `unknown key; expected one of ${known.map((k) => `"${k}"`).join(', ')}`;
}

/** A message for a missing or mistyped value, in the house style ("required, expected …"). */
export const expected =
  (what: string) =>
  (iss: { input?: unknown }): string =>
    iss.input === undefined ? `required, expected ${what}` : `expected ${what}`;

/** A non-empty string, trimmed. */
export const text = (what: string) =>
  z
    .string({ error: expected(what) })
    .trim()
    .min(1, { error: `expected ${what}` });

/** `true` or `false`, nothing else ("yes", 1 and "true" are errors: YAML makes them look alike). */
export const bool = () => z.boolean({ error: expected('true or false') });

/** A positive number. */
export const positive = (what: string) => z.number({ error: expected(what) }).positive({ error: `expected ${what}` });

/*
 * Slack ids by shape (https://docs.slack.dev/reference/objects): a typo such as a channel name, an
 * @handle or a user id where a channel belongs would otherwise route messages nowhere.
 */
const SLACK_ID = (prefixes: string, what: string, example: string) =>
  z.string({ error: expected(`a ${what} id such as "${example}"`) }).regex(new RegExp(`^[${prefixes}][A-Z0-9]{2,}$`), {
    error: (iss) =>
      `expected a ${what} id such as "${example}" (starts with ${[...prefixes].join(' or ')}), got "${String(iss.input)}"`,
  });

/** A public or private channel: `C…` or `G…`. */
export const channelId = () => SLACK_ID('CG', 'Slack channel', 'C0123ABCD');
/** A user: `U…` or `W…` (Enterprise Grid). */
export const userId = () => SLACK_ID('UW', 'Slack user', 'U0123ABCD');
/** A user group: `S…`. */
export const groupId = () => SLACK_ID('S', 'Slack user-group', 'S0123ABCD');

/** Zod's issues as the config's problems: `path.to[0].key: message`, one per unknown key. */
export function problemsOf(error: z.ZodError, root = ''): string[] {
  const out: string[] = [];
  for (const iss of error.issues) {
    const at = pathText([...(root ? [root] : []), ...iss.path]);
    if (iss.code === 'unrecognized_keys') {
      const lines = iss.message.split('\n');
      iss.keys.forEach((k, i) => out.push(`${at ? `${at}.` : ''}${k}: ${lines[i] ?? 'unknown key'}`));
    } else out.push(`${at || '(top level)'}: ${iss.message}`);
  }
  return out;
}

/** `environments[0].base_url` from `['environments', 0, 'base_url']`. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}
