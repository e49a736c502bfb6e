import type { Message } from '../../core/message.ts';
import type { Responder } from '../../core/transport.ts';

/**
 * How long a query may take to be answered in the ack itself. Within it the answer is the ack's
 * body: one message, shown at once, and no response_url round trip (that POST was most of a cached
 * `flag status`'s CPU after the ack; bench/heroku-read-ack.ts). Past it the ack goes out empty and
 * the answer follows by response_url as before, so a slow Heroku read never nears Slack's 3 s.
 */
export const QUERY_ACK_WINDOW_MS = 750;

export interface AnswerInAck {
  /** Hand this to the query: its first reply inside the window becomes the ack. */
  responder: Responder;
  /** The ack body: the reply if it came within the window, else null (the reply then goes by `responder`). */
  ack(done: Promise<void>): Promise<Message | null>;
}

/** Lets a query's first reply ride in the ack when it comes within `windowMs`. */
export function answerInAck(responder: Responder, windowMs = QUERY_ACK_WINDOW_MS): AnswerInAck {
  let open = true;
  let answer: Message | null = null;
  let answered: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => {
    answered = resolve;
  });
  const inAck: Responder = {
    reply(message) {
      if (!open) return responder.reply(message);
      open = false;
      answer = message;
      answered();
      return Promise.resolve();
    },
  };
  if (responder.replaceOriginal) inAck.replaceOriginal = (m) => responder.replaceOriginal!(m);
  return {
    responder: inAck,
    async ack(done) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, windowMs);
      });
      const finished = done.then(
        () => undefined,
        () => undefined,
      );
      await Promise.race([arrived, finished, late]);
      clearTimeout(timer);
      // Closed from here on: a reply after this point goes by response_url, never lost between the two.
      open = false;
      return answer;
    },
  };
}
