import type { Config } from '../../config.ts';
import type { Dispatcher } from '../../core/transport.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';

/** What scheduled flag changes (issue 23 §1) are built from. */
export interface ScheduleDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** Heroku for reading the flag back (after a run, after a crash). */
  heroku: Pick<HerokuPort, 'getConfigVars'>;
  config: Pick<Config, 'environments' | 'schedule' | 'announceChannel'>;
  chat: () => ChatPort;
  /** The dispatcher a run is typed into, as the requester (the same path as a person's). */
  dispatcher: () => Dispatcher;
  /** This process, for the claim (who ran it). */
  instanceId: string;
}
