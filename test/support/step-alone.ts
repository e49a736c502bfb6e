import type { EnvironmentConfig } from '../../src/config.ts';
import type { StepData, StepResult } from '../../src/core/workflow.ts';
import { stepStateOf } from '../../src/services/workflows/step-context.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { Step, StepContext, StepPorts, StepState } from '../../src/services/workflows/types.ts';

const quiet: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return quiet;
  },
};

/**
 * Run one workflow step outside the engine (benchmarks, polling tests): the ports given, the
 * environments named by app, scratch kept in memory, thread lines dropped. No store or chat.
 */
export async function runStepAlone(
  step: Step,
  ports: Pick<StepPorts, 'heroku' | 'clock'> & Partial<StepPorts>,
  opts: {
    envs: Partial<EnvironmentConfig>[];
    data?: StepData;
    scratch?: StepData;
  },
): Promise<StepResult> {
  const state: StepState = stepStateOf(opts.data ?? {}, opts.scratch ?? {}, false);
  const ctx: StepContext = {
    environments: [],
    github: {} as StepPorts['github'],
    specDiff: {} as StepPorts['specDiff'],
    specs: {} as StepPorts['specs'],
    store: {} as StepPorts['store'],
    http: async () => 200,
    pollMs: 5_000,
    bakePollMs: 60_000,
    probes: {},
    herokuRemaining: () => null,
    ...ports,
    log: quiet,
    env(name) {
      const e = opts.envs.find((x) => x.name === name);
      if (!e) throw new Error(`no environment ${name}`);
      return e as EnvironmentConfig;
    },
    runId: 'alone',
    workflow: 'alone',
    requesterId: 'U0',
    say: async () => undefined,
    async save(patch) {
      state.scratch = { ...state.scratch, ...patch };
    },
    pause: (ms) => ports.clock.sleep(ms),
    requestApproval: async () => {
      throw new Error('no approvals outside the engine');
    },
  };
  return step.run(ctx, state);
}
