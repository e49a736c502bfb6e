import type { Message } from '../core/message.ts';

/** Where a posted message lives, so it can be updated or threaded under. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/**
 * Posting to the team. Slack implements it with chat.* calls; the shell prints.
 * Services use it; commands never see it directly (they get ctx.progress).
 */
export interface ChatPort {
  post(channel: string, message: Message, opts?: { threadTs?: string }): Promise<MessageRef>;
  update(ref: MessageRef, message: Message): Promise<void>;
  ephemeral(channel: string, userId: string, message: Message): Promise<void>;
  /** A link to a posted message (Slack: chat.getPermalink); absent or null where there is none (the shell). */
  permalink?(ref: MessageRef): Promise<string | null>;
}
