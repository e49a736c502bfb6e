import type { EnvironmentConfig } from '../config.ts';
import type { Caller, CommandContext, CommandPorts } from '../ports/command.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';

/** The ports every command context is built from (fixed for the process). */
export type Ports = CommandPorts;

/** Find an environment by name or alias, case-insensitively. */
export function findEnvironment(envs: readonly EnvironmentConfig[], name: string): EnvironmentConfig | undefined {
  const n = name.toLowerCase();
  return envs.find(
    (e) =>
      e.name.toLowerCase() === n || e.herokuApp.toLowerCase() === n || e.aliases.some((a) => a.toLowerCase() === n),
  );
}

/** A command context for one request. */
export function buildContext(
  ports: Ports,
  caller: Caller,
  correlationId: string,
  log: Logger,
  progress: ChatProgress,
): CommandContext {
  return {
    ...ports,
    caller,
    correlationId,
    env: (name) => findEnvironment(ports.environments, name),
    log,
    progress,
  };
}
