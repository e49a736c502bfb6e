import type { EnvironmentConfig } from '../config.ts';
import type { ChatPort } from '../ports/chat.ts';
import type { Clock, Ids } from '../ports/clock.ts';
import type { DeployPort } from '../ports/deploys.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import type { DeployTimings, HealthProbe } from './deploy-steps.ts';

export interface DeployRunnerDeps {
  environments: readonly EnvironmentConfig[];
  heroku: HerokuPort;
  github: GitHubPort;
  store: Store;
  clock: Clock;
  ids: Ids;
  log: Logger;
  /** The chat port, for picking a thread up again after a restart (created after the ports). */
  chat: () => ChatPort;
  timings?: Partial<DeployTimings>;
  probe?: HealthProbe;
  /** Heroku API tokens left (RateLimit-Remaining, estimated); polling slows as it falls. */
  herokuRemaining?: () => number | null;
}

/** DeployPort plus `resume()`, which the composition root calls once at boot. */
export interface DeployRunner extends DeployPort {
  /** Finish every deploy/rollback a previous process left unfinished; resolves when all are done. */
  resume(): Promise<number>;
  /** Stop following work (shutdown): nothing moves state any more; the next process resumes it. */
  stop(): void;
}
