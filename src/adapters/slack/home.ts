import type { Config } from '../../config.ts';
import type { HomePort } from '../../ports/home.ts';
import type { Logger } from '../../ports/logger.ts';
import { renderHome } from './blocks/home.ts';
import { callSlack, createWebClient, type SlackClientOptions } from './client.ts';

/** HomePort over views.publish (scope: none beyond the bot token; the Home tab must be enabled in the manifest). */
export function createSlackHome(config: Pick<Config, 'slack'>, log: Logger, opts: SlackClientOptions = {}): HomePort {
  const client = createWebClient(config, log, opts);
  return {
    async publish(userId, view) {
      const rendered = renderHome(view);
      await callSlack('views.publish', () => client.views.publish({ user_id: userId, view: rendered }), opts);
    },
  };
}
