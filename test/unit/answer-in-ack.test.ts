import { describe, expect, it } from 'vitest';
import { textMessage, type Message } from '../../src/core/message.ts';
import type { Responder } from '../../src/core/transport.ts';
import { answerInAck } from '../../src/services/dispatch/answer-in-ack.ts';

/** A responder that keeps what reaches it (what would go to response_url). */
function posted(): Responder & { replies: Message[] } {
  const replies: Message[] = [];
  return { replies, reply: async (m) => void replies.push(m) };
}

describe('a query answered in the ack', () => {
  it('puts a quick answer in the ack, and nothing goes to response_url', async () => {
    const out = posted();
    const a = answerInAck(out, 1000);
    const done = a.responder.reply(textMessage('status: off'));
    expect(await a.ack(done)).toEqual(textMessage('status: off'));
    expect(out.replies).toEqual([]);
  });

  it('acks empty once the window has passed; the late answer goes to response_url, once', async () => {
    const out = posted();
    const a = answerInAck(out, 20);
    let finish: () => void = () => undefined;
    const done = new Promise<void>((r) => (finish = r));
    expect(await a.ack(done)).toBeNull();
    await a.responder.reply(textMessage('slow status'));
    finish();
    expect(out.replies).toEqual([textMessage('slow status')]);
  });

  it('acks empty when the work ends, or fails, without an answer', async () => {
    const out = posted();
    expect(await answerInAck(out, 1000).ack(Promise.resolve())).toBeNull();
    expect(await answerInAck(out, 1000).ack(Promise.reject(new Error('boom')))).toBeNull();
  });

  it('only the first answer rides in the ack; a second one follows by response_url', async () => {
    const out = posted();
    const a = answerInAck(out, 1000);
    const done = (async () => {
      await a.responder.reply(textMessage('first'));
      await a.responder.reply(textMessage('second'));
    })();
    expect(await a.ack(done)).toEqual(textMessage('first'));
    await done;
    expect(out.replies).toEqual([textMessage('second')]);
  });
});
