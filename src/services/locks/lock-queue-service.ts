import { QUEUE_TURN_MS, runNowButton } from '../../core/lock-queue.ts';
import type { Message } from '../../core/message.ts';
import { md, mention } from '../../core/mrkdwn.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import type { QueueEntry } from '../../ports/stores/lock-queue.ts';
import { audit } from '../audit.ts';

// QUEUE_TURN_MS (how long a told person keeps their turn) lives in the core, for `/autorisen locks`.
export { QUEUE_TURN_MS };

export interface LockQueueDeps {
  store: Store;
  chat: () => ChatPort;
  clock: Clock;
  log: Logger;
}

/** Telling the first in an environment's queue that the lock is free (issue 23 §3). */
export interface LockQueueService {
  /** A lock on `env` was released at `at` (every release path goes through the store: see observe-lock-releases.ts). */
  released(env: string, at: number): Promise<void>;
  /** Environments whose lock expired or was released elsewhere: give their queue its turn. */
  sweep(): Promise<void>;
}

export function createLockQueueService(d: LockQueueDeps): LockQueueService {
  async function offerTurn(env: string): Promise<void> {
    const now = d.clock.now();
    // Taken again already (the kill switch, the next deploy): the queue waits for that one's release.
    if (await d.store.locks.get(env, now)) return;
    // Compare-and-set: with several instances told of the same release, one gives the turn.
    const turn = await d.store.lockQueue.claimTurn(env, now, now - QUEUE_TURN_MS);
    if (turn) await tell(turn);
  }

  async function tell(entry: QueueEntry): Promise<void> {
    const message = turnMessage(entry);
    const chat = d.chat();
    const places = [entry.userId, ...(isSharedChannel(entry) ? [entry.channelId] : [])];
    for (const place of places)
      await chat.post(place, message).catch((err) => d.log.warn({ err, env: entry.env }, 'could not tell the queue'));
    await audit(d.store, d.log, {
      at: d.clock.now(),
      correlationId: `queue:${entry.id}`,
      actorId: entry.userId,
      channelId: entry.channelId,
      command: 'locks',
      args: entry.commandText,
      action: 'queue_turn',
      result: 'ok',
      detail: `${entry.env} is free; told the first in its queue`,
      env: entry.env,
    });
  }

  return {
    async released(env, at) {
      try {
        // The lock was taken and released after the last turn began: that turn is over.
        await d.store.lockQueue.endTurns(env, at);
        await offerTurn(env);
      } catch (err) {
        d.log.warn({ err, env }, 'could not give the lock queue its turn');
      }
    },
    async sweep() {
      try {
        for (const env of await d.store.lockQueue.envsWithWaiting()) await offerTurn(env);
      } catch (err) {
        d.log.warn({ err }, 'lock queue sweep failed');
      }
    },
  };
}

/** A DM is sent anyway; the channel where they queued is told too unless it is a DM itself. */
function isSharedChannel(entry: QueueEntry): boolean {
  return entry.channelId !== entry.userId && !entry.channelId.startsWith('D');
}

function turnMessage(entry: QueueEntry): Message {
  const text = md`:arrow_forward: ${mention(entry.userId)}, ${entry.env} is no longer locked: your turn in its queue. *Run now* runs \`${entry.commandText}\` as if you typed it again, planned against what runs there now.`;
  return { text, buttons: [runNowButton(entry.commandText)], visibility: 'in_channel' };
}
