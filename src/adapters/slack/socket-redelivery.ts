import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../ports/logger.ts';
import type { DedupStore } from '../../ports/stores/dedup.ts';

/**
 * How long a Socket Mode delivery is remembered. Slack redelivers an envelope whose ack it did not
 * get (a connection refreshed between delivery and ack) within minutes; an hour is ample.
 */
export const SOCKET_REDELIVERY_TTL_MS = 60 * 60_000;

/**
 * The identity of one click or event, the same in every redelivery of its envelope: clicks carry a
 * fresh trigger_id per action, events an event_id. Slash commands are left to the dispatcher, which
 * claims the ones that change something by their trigger_id (dispatch/slash-dedup.ts) and answers a
 * redelivered query again: its first answer rode in the ack that was lost.
 */
export function deliveryKey(body: Record<string, unknown>): string | null {
  if (typeof body.command === 'string') return null;
  if (typeof body.trigger_id === 'string' && body.trigger_id) return `socket:trigger:${body.trigger_id}`;
  if (typeof body.event_id === 'string' && body.event_id) return `socket:event:${body.event_id}`;
  return null;
}

/**
 * Bolt global middleware for Socket Mode: the first delivery of an action runs; a redelivery (its
 * ack was lost when the connection was refreshed) is acked and dropped, so every command runs once.
 * The claim is in the database, so it also holds across instances sharing the app token.
 * A claim that fails (database down) lets the request through: losing a command is worse.
 */
export function socketRedeliveryGuard(
  dedup: DedupStore,
  now: () => number,
  log: Logger,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as unknown as Record<string, unknown>;
    const key = deliveryKey(body);
    if (key !== null) {
      const first = await dedup.claim(key, now(), SOCKET_REDELIVERY_TTL_MS).catch((err: unknown) => {
        log.warn({ err, key }, 'could not check for a Socket Mode redelivery; handling it');
        return true;
      });
      if (!first) {
        log.info({ key }, 'Socket Mode redelivered an envelope that already ran; acked and dropped');
        const ack = (args as { ack?: () => Promise<void> }).ack;
        if (ack) await ack();
        return;
      }
    }
    await args.next();
  };
}
