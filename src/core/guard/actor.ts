import { type Markup, markup, mention } from '../mrkdwn.ts';

/** The actor id the guard's own changes carry in audit rows and flag history (issue 21). */
export const GUARD_ACTOR = 'guard';

/** How an actor is named in a message: the guard by name, a person by mention. */
export function actorText(userId: string): string {
  return userId === GUARD_ACTOR ? 'the guard' : `<@${userId}>`;
}

/** The same for the `md` tag, where the rest of the text is escaped: a live mention or "the guard". */
export function actorMention(userId: string): Markup {
  return userId === GUARD_ACTOR ? markup('the guard') : mention(userId);
}
