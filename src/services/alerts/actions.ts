import { formatTime } from '../../core/alerts/context.ts';
import { ALERT_ACK_ACTION, ALERT_SILENCE_ACTION, parseSilenceValue } from '../../core/alerts/messages.ts';
import { textMessage } from '../../core/message.ts';
import { markup, md, mention } from '../../core/mrkdwn.ts';
import type { ActionHandler } from '../../core/transport.ts';
import { AppError } from '../../errors.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { AlertGroup, AlertStore } from '../../ports/stores/alerts.ts';

export interface AlertActionDeps {
  store: { alerts: AlertStore };
  clock: Clock;
  ids: Ids;
  /** Wake the delivery worker so the alert message is rewritten at once. */
  poke?: () => void;
}

/**
 * Buttons on alert messages. Acknowledge and Silence need the operator role: they change what the
 * whole team is shown, so a viewer's click should not hide an incident. "Turn flag off" and
 * "Roll back" use the built-in autorisen:run and follow the flag/rollback commands' own rules.
 * The dispatcher checks the role and audits; the worker rewrites the message from the store.
 */
export function alertActionHandlers(deps: AlertActionDeps): ActionHandler[] {
  const notFound = () =>
    new AppError(
      'not_found',
      'That alert is no longer in the bot’s store; it may have been cleaned up. `/autorisen alerts` lists the open ones.',
    );
  return [
    {
      actionId: ALERT_ACK_ACTION,
      permission: 'operator',
      async handle(req, caller) {
        const before = await deps.store.alerts.getGroup(req.value);
        if (!before) throw notFound();
        if (before.ackedBy) return textMessage(md`Already acknowledged by ${mention(before.ackedBy)}.`);
        const g = await deps.store.alerts.acknowledge(req.value, caller.userId, deps.clock.now());
        deps.poke?.();
        if (!g || g.ackedBy !== caller.userId)
          return textMessage(md`Already acknowledged by ${mention(g?.ackedBy ?? 'someone')}.`);
        return textMessage(md`Acknowledged “${g.title}”. ${markup(whereShown(g))}`);
      },
    },
    {
      actionId: ALERT_SILENCE_ACTION,
      permission: 'operator',
      async handle(req, caller) {
        const parsed = parseSilenceValue(req.value);
        if (!parsed)
          throw new AppError('usage', 'That silence button is malformed; use the buttons on a current alert message.');
        const now = deps.clock.now();
        const until = now + parsed.hours * 3_600_000;
        const g = await deps.store.alerts.silence({
          id: deps.ids.next(),
          fingerprint: parsed.fingerprint,
          until,
          by: caller.userId,
          at: now,
        });
        if (!g) throw notFound();
        deps.poke?.();
        return textMessage(
          md`Silenced “${g.title}” until ${formatTime(until, now)}: repeats are counted but not posted until then; an acknowledgement or a resolution still updates its message.`,
        );
      },
    },
  ];
}

/**
 * What the acknowledgement changes on screen, promising only what the delivery worker will do:
 * it rewrites the alert's own message (silenced or not), or the storm digest that stands in for it.
 */
function whereShown(g: AlertGroup): string {
  if (g.messageTs) return 'Its alert message is being updated to show who acknowledged it.';
  if (g.digestId) return 'The storm summary is being updated to show it.';
  return 'It was never posted on its own, so no message changes; it no longer shows in `/autorisen alerts`.';
}
