import type { Config } from '../config.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Clock } from '../ports/clock.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import type { CommandDispatcher } from '../services/dispatch/dispatcher.ts';
import { HomeService } from '../services/home/home-service.ts';
import type { AppOptions } from './app-options.ts';

/** The App Home tab (issue 13): Slack's views.publish behind the Home service; HTTP and Socket Mode only. */
export async function slackHome(
  config: Config,
  options: AppOptions,
  deps: { heroku: HerokuPort; store: Store; clock: Clock; log: Logger; dispatcher: CommandDispatcher },
): Promise<HomeService> {
  const { heroku, store, clock, log, dispatcher } = deps;
  const { createSlackHome } = await import('../adapters/slack/home.ts');
  return new HomeService({
    environments: config.environments,
    heroku,
    store,
    clock,
    log: log.child({ component: 'home' }),
    home: createSlackHome(config, log, { rateLimitRetries: 1 }),
    caller: (userId) => dispatcher.caller(userId, ''),
    ...(options.homePacing ? { pacing: options.homePacing } : {}),
  });
}
