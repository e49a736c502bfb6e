import type { Message } from '../core/message.ts';
import { AppError } from '../errors.ts';
import type { ChatPort, MessageRef } from '../ports/chat.ts';
import type { Logger } from '../ports/logger.ts';

/**
 * The team's announce channel (config `announce_channel`, issue 9 §6): every change the bot makes
 * (flag, deploy, rollback, lock, unlock) and every approval decision is told there, unless it
 * happened there already. A kill switch run from a DM is otherwise seen by no one.
 */
export interface Announcer {
  /** The configured channel, or null. */
  readonly channel: string | null;
  /** Post `message` in the announce channel unless `from` is that channel; best effort, never throws. */
  announce(from: string | null, message: Message, log: Logger): Promise<void>;
}

export function createAnnouncer(chat: ChatPort, channel: string | null): Announcer {
  return {
    channel,
    async announce(from, message, log) {
      if (!channel || from === channel) return;
      try {
        await chat.post(channel, { ...message, visibility: 'in_channel', buttons: [] });
      } catch (err) {
        log.warn({ err, channel }, 'could not post in the announce channel');
      }
    },
  };
}

/** A DM: nobody else can see it, so nobody else can approve there (Slack DM ids start with D). */
export const isDirectMessage = (channel: string): boolean => channel.startsWith('D');

/** Slack errors that mean "the bot cannot post in this channel", so the announce channel is used instead. */
const CANNOT_POST = ['channel_not_found', 'not_in_channel', 'is_archived'];

export function cannotPostThere(err: unknown): boolean {
  if (!(err instanceof AppError) || err.code !== 'slack_failed') return false;
  const data = (err.cause as { data?: { error?: unknown } } | undefined)?.data;
  const slackError = typeof data?.error === 'string' ? data.error : null;
  return slackError !== null ? CANNOT_POST.includes(slackError) : CANNOT_POST.some((e) => err.userMessage.includes(e));
}

/** "in <#C…>" with a link to the message when Slack gives one. */
export async function whereItWent(chat: ChatPort, ref: MessageRef, log: Logger): Promise<string> {
  const link = await (chat.permalink ? chat.permalink(ref) : Promise.resolve(null)).catch((err: unknown) => {
    log.warn({ err }, 'could not get a permalink for the approval message');
    return null;
  });
  return link ? `in <#${ref.channel}> (<${link}|open the request>)` : `in <#${ref.channel}>`;
}
