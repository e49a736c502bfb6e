import type { RespondFn } from '@slack/bolt';
import type { Message } from '../../core/message.ts';
import type { Responder } from '../../core/transport.ts';
import type { Logger } from '../../ports/logger.ts';
import { renderResponse } from './blocks/render.ts';

/**
 * A Responder over Bolt's `respond()` (POSTs JSON to response_url). Bolt v5 throws RespondError
 * on non-2xx, e.g. a response_url past its 30 minutes / 5 uses (PROTOCOLS.md §A3); that is
 * logged, not thrown, because the work itself already happened and must not be reported as failed.
 */
export function slackResponder(respond: RespondFn | undefined, log: Logger, canReplace: boolean): Responder {
  const send = async (message: Message, replaceOriginal: boolean): Promise<void> => {
    if (!respond) {
      log.warn({ text: message.text }, 'no response_url on this request; reply dropped');
      return;
    }
    try {
      await respond(renderResponse(message, { replaceOriginal }));
    } catch (err) {
      log.warn({ err, replaceOriginal }, 'response_url reply failed (expired or used up?)');
    }
  };
  const responder: Responder = { reply: (m) => send(m, false) };
  if (canReplace) responder.replaceOriginal = (m) => send(m, true);
  return responder;
}
