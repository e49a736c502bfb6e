import type { Message } from '../../core/message.ts';
import type { Responder } from '../../core/transport.ts';
import type { Logger } from '../../ports/logger.ts';
import { renderResponse } from './blocks/render.ts';
import { postToResponseUrl } from './response-url.ts';

/**
 * A Responder that POSTs JSON to the request's response_url (what Bolt's `respond()` does, without
 * fetch: see response-url.ts). A non-2xx answer, e.g. a response_url past its 30 minutes / 5 uses
 * (PROTOCOLS.md §A3), is logged, not thrown, because the work itself already happened and must not
 * be reported as failed.
 */
export function slackResponder(responseUrl: string | undefined, log: Logger, canReplace: boolean): Responder {
  const send = async (message: Message, replaceOriginal: boolean): Promise<void> => {
    if (!responseUrl) {
      log.warn({ text: message.text }, 'no response_url on this request; reply dropped');
      return;
    }
    try {
      const status = await postToResponseUrl(responseUrl, renderResponse(message, { replaceOriginal }));
      if (status < 200 || status >= 300)
        log.warn({ status, replaceOriginal }, 'response_url refused the reply (expired or used up?)');
    } catch (err) {
      log.warn({ err, replaceOriginal }, 'response_url reply failed');
    }
  };
  const responder: Responder = { reply: (m) => send(m, false) };
  if (canReplace) responder.replaceOriginal = (m) => send(m, true);
  return responder;
}
