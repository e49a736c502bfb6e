import type { ChatPort } from '../../ports/chat.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ChatProgress } from '../../ports/progress.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import { line } from './outcomes.ts';
import type { HookContext, StepContext, WorkflowDef } from './types.ts';

export interface HookDeps {
  chat: () => ChatPort;
  contextFor: (owned: { run: WorkflowRun }, def: WorkflowDef, progress: ChatProgress, log: Logger) => StepContext;
}

/**
 * Runs a workflow's `started` / `stopped` hooks. They are side effects around the run (notices in
 * the deploy channel, the GitHub deployment, the approval it executes): best effort, so a hook
 * that throws is logged and never changes how the run ended.
 */
export function createHookRunner(deps: HookDeps) {
  return {
    async run(
      kind: 'started' | 'stopped',
      def: WorkflowDef,
      run: WorkflowRun,
      progress: ChatProgress,
      log: Logger,
      detached: boolean,
    ): Promise<void> {
      const hook = def[kind];
      if (!hook) return;
      const base = deps.contextFor({ run }, def, progress, log);
      const ctx: HookContext = {
        ...base,
        run,
        input: run.input,
        stepTitle: def.steps(run.input)[run.stepIndex]?.title ?? null,
        detached,
        async announce(envName, message) {
          const env = base.environments.find((e) => e.name === envName);
          const channel = env?.deployChannel;
          // The run's own thread is already in that channel: a second notice there would only repeat it.
          if (!channel || channel === run.statusChannel) return;
          try {
            await deps.chat().post(channel, typeof message === 'string' ? line(message) : message);
          } catch (err) {
            base.log.warn({ err, channel }, 'could not announce in the deploy channel');
          }
        },
      };
      try {
        await hook(ctx);
      } catch (err) {
        base.log.warn({ err, runId: run.id, hook: kind }, 'workflow hook failed');
      }
    },
  };
}
