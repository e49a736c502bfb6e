import type { CommandRequest } from '../../core/transport.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import { audit } from '../audit.ts';

/** Slack retries within minutes (3 attempts); an hour covers them with room to spare. */
export const COMMAND_DEDUP_TTL_MS = 60 * 60_000;

/**
 * Slack resends a slash command it thinks went unanswered (X-Slack-Retry-Num), possibly to another
 * instance: the shared dedup store lets only the first delivery run (issue 9 §7). The retry gets an
 * empty ack; the first delivery answers on the same response_url. If the store cannot say, run it
 * (refusing every command while the database is down would be worse than a rare double).
 */
export async function firstDelivery(store: Store, log: Logger, req: CommandRequest, now: number): Promise<boolean> {
  const key = `slash:${req.dedupKey}`;
  const first = await store.dedup.claim(key, now, COMMAND_DEDUP_TTL_MS).catch((err: unknown) => {
    log.warn({ err, key }, 'could not check the slash command against redeliveries; running it');
    return true;
  });
  if (!first) {
    const reqLog = log.child({ correlationId: req.correlationId, userId: req.userId });
    reqLog.info({ retry: req.retry ?? null }, 'slash command redelivered by Slack; already handled, ignoring it');
    await audit(store, reqLog, {
      at: now,
      correlationId: req.correlationId,
      actorId: req.userId,
      channelId: req.channelId,
      command: 'slash',
      args: req.text,
      action: 'invoke',
      result: 'duplicate',
      detail: `redelivery${req.retry ? ` #${req.retry.num} (${req.retry.reason ?? 'no reason'})` : ''} of a command already handled`,
    });
  }
  return first;
}
