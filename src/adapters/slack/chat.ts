import type { Config } from '../../config.ts';
import type { Message } from '../../core/message.ts';
import type { ChatPort, MessageRef } from '../../ports/chat.ts';
import type { Logger } from '../../ports/logger.ts';
import { renderMessage } from './blocks/render.ts';
import { callSlack, createWebClient, type SlackClientOptions } from './client.ts';
import { postKey, SlackPacer } from '../../core/slack-pacer.ts';

/** Slack's chat.postMessage pace: "generally 1 message per second per channel" (PROTOCOLS.md §A5). */
export const POST_INTERVAL_PER_CHANNEL_MS = 1_000;

export interface SlackChatOptions extends SlackClientOptions {
  /** Minimum gap between posts to one channel; 0 leaves the pacing to the caller. */
  postIntervalMs?: number;
  /** The process's one Slack pacer (app.ts), shared with the alert delivery worker. */
  pacer?: SlackPacer;
}

/** ChatPort over Slack's chat.* Web API methods; failures are AppError('slack_failed') with Slack's error string. */
export function createSlackChat(config: Pick<Config, 'slack'>, log: Logger, opts: SlackChatOptions = {}): ChatPort {
  const client = createWebClient(config, log, opts);
  const pacer = opts.pacer ?? new SlackPacer();
  const interval = opts.postIntervalMs ?? POST_INTERVAL_PER_CHANNEL_MS;
  return {
    async post(channel: string, message: Message, o?: { threadTs?: string }): Promise<MessageRef> {
      const { text, blocks } = renderMessage(message);
      const res = await pacer.run(postKey(channel), interval, () =>
        callSlack(
          'chat.postMessage',
          () => client.chat.postMessage({ channel, text, blocks, ...(o?.threadTs ? { thread_ts: o.threadTs } : {}) }),
          opts,
        ),
      );
      return { channel: res.channel ?? channel, ts: String(res.ts) };
    },
    async update(ref: MessageRef, message: Message): Promise<void> {
      const { text, blocks } = renderMessage(message);
      await callSlack(
        'chat.update',
        () => client.chat.update({ channel: ref.channel, ts: ref.ts, text, blocks }),
        opts,
      );
    },
    async permalink(ref: MessageRef): Promise<string | null> {
      const res = await callSlack(
        'chat.getPermalink',
        () => client.chat.getPermalink({ channel: ref.channel, message_ts: ref.ts }),
        opts,
      );
      return typeof res.permalink === 'string' ? res.permalink : null;
    },
    async ephemeral(channel: string, userId: string, message: Message): Promise<void> {
      const { text, blocks } = renderMessage(message);
      await callSlack(
        'chat.postEphemeral',
        () => client.chat.postEphemeral({ channel, user: userId, text, blocks }),
        opts,
      );
    },
  };
}
