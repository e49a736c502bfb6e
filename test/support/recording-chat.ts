import type { Message } from '../../src/core/message.ts';
import type { Responder } from '../../src/core/transport.ts';
import type { ChatPort, MessageRef } from '../../src/ports/chat.ts';

/** An in-memory ChatPort for unit tests: keeps every message and its latest version by ts. */
export class RecordingChat implements ChatPort {
  readonly posts: { channel: string; ts: string; message: Message; threadTs?: string }[] = [];
  readonly updates: { ref: MessageRef; message: Message }[] = [];
  private n = 0;

  async post(channel: string, message: Message, opts?: { threadTs?: string }): Promise<MessageRef> {
    const ts = `${1700000000 + ++this.n}.000100`;
    this.posts.push({ channel, ts, message, ...(opts?.threadTs ? { threadTs: opts.threadTs } : {}) });
    return { channel, ts };
  }
  async update(ref: MessageRef, message: Message): Promise<void> {
    this.updates.push({ ref, message });
  }
  async ephemeral(): Promise<void> {}

  /** The latest text of a message (after updates). */
  latest(ts: string): Message | undefined {
    const u = [...this.updates].reverse().find((x) => x.ref.ts === ts);
    return u?.message ?? this.posts.find((p) => p.ts === ts)?.message;
  }
}

/** A Responder that records replies. */
export function recordingResponder(): Responder & { replies: Message[] } {
  const replies: Message[] = [];
  return { replies, reply: async (m) => void replies.push(m), replaceOriginal: async (m) => void replies.push(m) };
}
