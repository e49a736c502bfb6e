/** The actor id the guard's own changes carry in audit rows and flag history (issue 21). */
export const GUARD_ACTOR = 'guard';

/** How an actor is named in a message: the guard by name, a person by mention. */
export function actorText(userId: string): string {
  return userId === GUARD_ACTOR ? 'the guard' : `<@${userId}>`;
}
