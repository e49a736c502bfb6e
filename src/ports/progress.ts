import type { Message } from '../core/message.ts';
import type { MessageRef } from './chat.ts';

/** Progress for long work: one status message updated in place, details in its thread. */
export interface ChatProgress {
  /** Replace the status message (posting it the first time). */
  update(message: Message): Promise<void>;
  /** Add a reply in the status message's thread. */
  thread(message: Message): Promise<void>;
  /** Where the status message is, once posted (persisted by long work so a restart can continue its thread). */
  ref?(): MessageRef | undefined;
}
