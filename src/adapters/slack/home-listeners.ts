import type { App } from '@slack/bolt';
import type { Responder } from '../../core/transport.ts';
import type { Logger } from '../../ports/logger.ts';

/** What the transport needs from the Home service. */
export interface HomeListenerDeps {
  /** Someone opened the app's Home tab. */
  opened(userId: string): Promise<void>;
  /** Replies to a click made in the Home tab (no channel, no response_url): shown on their Home. */
  responder(userId: string): Responder;
}

/** `app_home_opened` → publish that user's Home. The Messages tab opens it too; only the Home tab counts. */
export function registerHomeListeners(
  app: App,
  deps: HomeListenerDeps,
  log: Logger,
  track: (work: Promise<void>) => void,
): void {
  app.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    const work = deps.opened(event.user).catch((err: unknown) => {
      log.warn({ err, userId: event.user }, 'could not publish the Home tab');
    });
    track(work);
    await work;
  });
}
