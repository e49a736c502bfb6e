import type { Message } from '../core/message.ts';
import type { ChatPort, MessageRef } from '../ports/chat.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';

/**
 * Progress as one channel message updated in place, with details in its thread. When `anchor` is
 * given (the approval message), progress rewrites that message instead of posting a new one.
 * Progress is best effort: a Slack hiccup is logged, never fails the work itself.
 */
export function createProgress(
  chat: ChatPort,
  channel: string,
  log: Logger,
  anchor?: MessageRef,
): ChatProgress & { ref(): MessageRef | undefined } {
  let ref: MessageRef | undefined = anchor;
  const ensure = async (message: Message): Promise<MessageRef> => {
    if (!ref) ref = await chat.post(channel, { ...message, visibility: 'in_channel' });
    return ref;
  };
  return {
    ref: () => ref,
    async update(message) {
      try {
        if (!ref) await ensure(message);
        else await chat.update(ref, message);
      } catch (err) {
        log.warn({ err }, 'progress update failed');
      }
    },
    async thread(message) {
      try {
        const r = await ensure({ text: message.text });
        await chat.post(r.channel, message, { threadTs: r.ts });
      } catch (err) {
        log.warn({ err }, 'progress thread reply failed');
      }
    },
  };
}
