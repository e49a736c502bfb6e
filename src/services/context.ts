import type { EnvironmentConfig } from '../config.ts';
import type { Caller, CommandContext, CommandInfo } from '../core/command.ts';
import type { Clock, Ids } from '../ports/clock.ts';
import type { DeployPort } from '../ports/deploys.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';
import type { SpecDiffPort } from '../ports/spec-diff.ts';
import type { SpecSourcePort } from '../ports/spec-source.ts';
import type { Store } from '../ports/store.ts';

/** The ports every command context is built from (fixed for the process). */
export interface Ports {
  environments: readonly EnvironmentConfig[];
  heroku: HerokuPort;
  github: GitHubPort;
  specDiff: SpecDiffPort;
  specs: SpecSourcePort;
  deploys?: DeployPort;
  /** Alert routing in force, for `/autorisen alerts routes` (issue 6). */
  alertRouting?: import('../config.ts').Config['alerts'];
  store: Store;
  clock: Clock;
  ids: Ids;
  catalog: readonly CommandInfo[];
}

/** Find an environment by name or alias, case-insensitively. */
export function findEnvironment(envs: readonly EnvironmentConfig[], name: string): EnvironmentConfig | undefined {
  const n = name.toLowerCase();
  return envs.find((e) => e.name.toLowerCase() === n || e.herokuApp.toLowerCase() === n || e.aliases.some((a) => a.toLowerCase() === n));
}

/** A command context for one request. */
export function buildContext(ports: Ports, caller: Caller, correlationId: string, log: Logger, progress: ChatProgress): CommandContext {
  return {
    ...ports,
    caller,
    correlationId,
    env: (name) => findEnvironment(ports.environments, name),
    log,
    progress,
  };
}
