import type { RunPosition, StepResult } from '../../core/workflow.ts';
import type { Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ChatProgress } from '../../ports/progress.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import type { createHookRunner } from './hooks.ts';
import { freezeLocks, releaseLocks } from './locks.ts';
import { failureMessage, rootOf } from './messages.ts';
import { line } from './outcomes.ts';
import type { MoveRun } from './step-context.ts';
import type { Step, StepPorts, WorkflowDef } from './types.ts';

export interface FinishDeps {
  ports: StepPorts;
  ids: Ids;
  log: Logger;
  move: MoveRun;
  hooks: ReturnType<typeof createHookRunner>;
}

/**
 * Stopping a run, in the order a reader relies on: the state is persisted first (compare-and-set,
 * so exactly one instance goes on), then the locks are released or frozen, the root rewritten, the
 * workflow's `stopped` hook run, and last the thread line saying what failed (with its offers) or
 * that it finished. False when another instance moved the run first.
 */
export function createFinisher(deps: FinishDeps) {
  const { ports, move } = deps;
  const clock = ports.clock;
  return async function finish(
    run: WorkflowRun,
    def: WorkflowDef,
    pos: Partial<RunPosition>,
    progress: ChatProgress,
    title: string,
    steps: Step[],
    detached: boolean,
    result?: StepResult,
  ): Promise<boolean> {
    const final = pos.state !== 'failed';
    const freeze = def.freezeReason?.(run.input, { ...run, ...pos }) ?? null;
    const next = await move(
      run,
      // A frozen run keeps its token: a Retry turns the freeze back into its lock (workflows/locks.ts).
      { ...pos, lockToken: freeze ? run.lockToken : null, ...(final ? { finishedAt: clock.now() } : {}) },
      pos.error ?? `${run.workflow} ${pos.state}`,
    );
    if (!next) return false;
    const envs = def.locks(run.input);
    if (run.lockToken && freeze)
      await freezeLocks(
        ports.store,
        envs,
        {
          token: run.lockToken,
          holderId: run.requesterId,
          reason: freeze,
          now: clock.now(),
          freshToken: deps.ids.next,
        },
        deps.log,
      );
    else if (run.lockToken) await releaseLocks(ports.store, envs, run.lockToken, deps.log);
    if (result?.kind === 'done' && result.note) await progress.thread(line(result.note));
    await progress.update(rootOf(def, next, steps));
    // Notices, GitHub and the approval first: the thread's last line (what failed, or Finished) closes it.
    await deps.hooks.run('stopped', def, next, progress, deps.log.child({ runId: run.id }), detached);
    if (result?.kind === 'failed') {
      const step = steps[run.stepIndex];
      await progress.thread(failureMessage(next, step, result.offers, step?.offerEnv ?? run.env));
    } else if (next.state === 'done') await progress.thread(line(`:white_check_mark: Finished: ${title}.`));
    return true;
  };
}
