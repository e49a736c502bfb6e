import type { Logger } from '../ports/logger.ts';

/** The delivery worker may be inside a Slack call; the store closes after this even if it is. */
export const DELIVERY_STOP_MS = 1_500;

/** Wait for `stopping`, at most `ms`; says so in the log when it was late. */
export async function boundedStop(stopping: Promise<void>, ms: number, log: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = await Promise.race([
    stopping.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), ms);
    }),
  ]);
  clearTimeout(timer);
  if (late) log.warn({ waitedMs: ms }, 'alert delivery did not stop in time; closing the store anyway');
}
