import { randomUUID } from 'node:crypto';
import type { App, ViewSubmitAction } from '@slack/bolt';
import type { Dispatcher } from '../../core/transport.ts';
import { lazyChild } from '../../lazy-logger.ts';
import type { Logger } from '../../ports/logger.ts';
import { ACTION_ID_PATTERN } from './listeners.ts';

/**
 * `view_submission` of the bot's modals (callback_id `autorisen:*`, a typed confirmation such as
 * break-glass's): the dispatcher answers at once with errors to show under the input (Slack keeps
 * the modal open: `response_action: "errors"`) or an empty ack (the modal closes) and work that
 * follows. Acked within Slack's 3 s like every interaction.
 */
export function registerViewListeners(
  app: App,
  deps: { dispatcher: Dispatcher; log: Logger; track(work: Promise<void>): void },
): void {
  app.view<ViewSubmitAction>(
    { callback_id: ACTION_ID_PATTERN, type: 'view_submission' },
    async ({ ack, body, view }) => {
      const correlationId = randomUUID();
      const log = lazyChild(deps.log, {
        correlationId,
        userId: body.user.id,
        callbackId: view.callback_id,
        kind: 'view',
      });
      const values: Record<string, Record<string, string>> = {};
      for (const [block, actions] of Object.entries(view.state.values))
        for (const [action, v] of Object.entries(actions))
          if (typeof v.value === 'string') (values[block] ??= {})[action] = v.value;
      if (!deps.dispatcher.submit) return ack();
      try {
        const answer = await deps.dispatcher.submit({
          callbackId: view.callback_id,
          privateMetadata: view.private_metadata,
          userId: body.user.id,
          values,
          correlationId,
        });
        if ('errors' in answer) return ack({ response_action: 'errors', errors: answer.errors });
        await ack();
        deps.track(answer.done.catch((err: unknown) => log.error({ err }, 'work after a modal failed')));
      } catch (err) {
        log.error({ err }, 'a modal submission failed');
        await ack();
      }
    },
  );
}
