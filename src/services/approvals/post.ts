import type { Message } from '../../core/message.ts';
import { AppError } from '../../errors.ts';
import type { ChatPort, MessageRef } from '../../ports/chat.ts';
import type { Logger } from '../../ports/logger.ts';
import { cannotPostThere, isDirectMessage, whereItWent, type Announcer } from '../announce.ts';

/** Where an approval request was posted, and (when not where it was asked) how to tell the requester. */
export interface Posted {
  ref: MessageRef;
  /** "in <#C…> (<link|open the request>)" when it went somewhere other than the requester's channel. */
  movedTo: string | null;
}

/**
 * Post an approval request where another operator can see it (issue 9 §6). Asked in a DM, it goes
 * to the announce channel: in the DM nobody else could approve and it would just expire. Asked in a
 * channel the bot cannot post in (channel_not_found, not_in_channel), it goes there too. Throws a
 * `slack_failed` AppError that says what to do when there is nowhere to post.
 */
export async function postApproval(
  chat: ChatPort,
  announcer: Announcer,
  requestedIn: string,
  message: Message,
  log: Logger,
): Promise<Posted> {
  const fallback = announcer.channel;
  if (isDirectMessage(requestedIn)) {
    if (!fallback)
      throw new AppError(
        'slack_failed',
        'Nobody else can see a direct message, so nobody could approve this here. Ask in a channel (or set `announce_channel` in the bot config so requests from DMs go there).',
      );
    const ref = await chat.post(fallback, message);
    return { ref, movedTo: await whereItWent(chat, ref, log) };
  }
  try {
    return { ref: await chat.post(requestedIn, message), movedTo: null };
  } catch (err) {
    if (!fallback || fallback === requestedIn || !cannotPostThere(err)) throw err;
    log.info({ requestedIn, fallback }, 'cannot post the approval where it was asked; using the announce channel');
    const ref = await chat.post(fallback, message);
    return { ref, movedTo: await whereItWent(chat, ref, log) };
  }
}
