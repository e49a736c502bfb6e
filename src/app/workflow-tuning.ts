import type { Config } from '../config.ts';
import type { Sandbox } from '../dev/sandbox.ts';
import { httpProbe } from '../services/contract-probes.ts';
import type { HttpProbe, WorkflowSettings } from '../services/workflows/types.ts';
import type { AppOptions } from './app-options.ts';

/**
 * What workflows run with: a test's options first, then the sandbox's (with the simulated Heroku:
 * quick polls, simulated health checks and bakes on a compressed clock, so a release ends in seconds),
 * else the real thing.
 */
export function workflowTuning(
  config: Config,
  options: AppOptions,
  sandbox: Sandbox | null,
): { settings: WorkflowSettings; http: HttpProbe; pollMs: number; bakePollMs: number } {
  const sw = sandbox?.workflows;
  const probe = sandbox?.probe;
  const bakeMinuteMs = options.workflows?.bakeMinuteMs ?? sw?.bakeMinuteMs;
  return {
    settings: {
      // A bake minute's length: compressed in the sandbox and in multi-process tests (issue 19 §7).
      release: bakeMinuteMs ? { ...config.release, bakeMinuteMs } : config.release,
      namespace: config.diff.namespace,
      tasks: config.tasks,
    },
    http: options.workflows?.http ?? probe ?? httpProbe,
    pollMs: options.workflows?.pollMs ?? sw?.pollMs ?? 5_000,
    bakePollMs: options.workflows?.bakePollMs ?? sw?.bakePollMs ?? 60_000,
  };
}
