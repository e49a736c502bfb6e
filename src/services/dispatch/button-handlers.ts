import type { Caller } from '../../core/command.ts';
import { textMessage } from '../../core/message.ts';
import { aRole, roleAtLeast } from '../../core/roles.ts';
import type { ActionHandler, ActionRequest, Dispatch } from '../../core/transport.ts';
import { logFailure } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import { audit } from '../audit.ts';
import type { Ports } from '../context.ts';

/**
 * A click on a button that is neither an approval nor a command line: the registered handler for its
 * action id runs if the clicker's role allows it; every outcome is audited.
 */
export async function handleButton(
  deps: { ports: Ports; actionHandlers?: readonly ActionHandler[] },
  req: ActionRequest,
  caller: Caller,
  log: Logger,
): Promise<Dispatch> {
  const handler = deps.actionHandlers?.find((h) => h.actionId === req.actionId);
  const base = {
    at: deps.ports.clock.now(),
    correlationId: req.correlationId,
    actorId: req.userId,
    channelId: req.channelId,
    command: 'button',
    args: `${req.actionId} ${req.value}`,
  };
  if (!handler) {
    await audit(deps.ports.store, log, {
      ...base,
      action: 'click',
      result: 'unknown',
      detail: 'no handler for this button',
    });
    return {
      ack: null,
      done: req.responder.reply(
        textMessage('That button no longer does anything; the bot may have been updated. Run the command again.'),
      ),
    };
  }
  if (!roleAtLeast(caller.role, handler.permission)) {
    const reason = `This button needs the ${handler.permission} role; you are ${aRole(caller.role)}.`;
    await audit(deps.ports.store, log, { ...base, action: 'deny', result: 'denied', detail: reason });
    return { ack: null, done: req.responder.reply(textMessage(`:no_entry: ${reason}`)) };
  }
  const done = (async () => {
    try {
      const msg = await handler.handle(req, caller);
      await audit(deps.ports.store, log, { ...base, action: 'click', result: 'ok' });
      if (msg) await req.responder.reply(msg);
    } catch (err) {
      const e = logFailure(log, err, 'button handler failed');
      await audit(deps.ports.store, log, { ...base, action: 'click', result: 'error', detail: e.userMessage });
      await req.responder.reply(textMessage(`:x: ${e.userMessage}`)).catch(() => undefined);
    }
  })();
  return { ack: null, done };
}
