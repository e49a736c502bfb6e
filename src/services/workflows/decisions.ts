import { decide } from '../../core/workflow.ts';
import type { Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ChatProgress } from '../../ports/progress.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import { releaseLocks, retakeLocks, WORKFLOW_LOCK_TTL_MS } from './locks.ts';
import { rootOf } from './messages.ts';
import type { createHookRunner } from './hooks.ts';
import { line } from './outcomes.ts';
import type { MoveRun } from './step-context.ts';
import type { StepPorts, WorkflowDef } from './types.ts';

export interface DecisionDeps {
  ports: StepPorts;
  ids: Ids;
  log: Logger;
  move: MoveRun;
  defOf: (run: WorkflowRun) => WorkflowDef;
  progressOf: (run: WorkflowRun, log: Logger) => ChatProgress;
  /** Drive the run again in the background once it is retried. */
  background: (id: string, log: Logger) => void;
  hooks: ReturnType<typeof createHookRunner>;
}

/** Retry the stopped step (fresh scratch) or abandon the run: a person's click, compare-and-set. */
export async function decideRun(
  deps: DecisionDeps,
  id: string,
  action: 'retry' | 'abandon',
  by: string,
): Promise<string> {
  const { ports, move, defOf, progressOf } = deps;
  const clock = ports.clock;
  const run = await ports.store.workflows.get(id);
  if (!run) return 'I have no record of this run.';
  const pos = decide(run, action);
  if (!pos) return `This ${run.workflow} is ${run.state}; nothing to ${action}.`;
  const def = defOf(run);
  const log = deps.log.child({ runId: id });
  if (action === 'abandon') {
    const next = await move(run, { ...pos, finishedAt: clock.now() }, `abandoned by ${by}`);
    if (!next) return 'Someone else acted on this run first.';
    const progress = progressOf(next, log);
    await progress.update(rootOf(def, next, def.steps(run.input)));
    await deps.hooks.run('stopped', def, next, progress, log, true);
    await progress.thread(line(`:no_entry_sign: Abandoned by <@${by}>.`));
    return `Abandoned ${def.title(run.input)}.`;
  }
  // A stopped run holds no lock, or (a rollback) the freeze it left, which the retry turns back into its lock.
  const token = await retakeLocks(ports.store, def.locks(run.input), {
    oldToken: run.lockToken,
    token: deps.ids.next(),
    holderId: by,
    kind: def.name,
    reason: `${def.title(run.input)} (retried)`, // the retrier is the holder
    now: clock.now(),
    ttlMs: WORKFLOW_LOCK_TTL_MS,
  });
  const next = await move(run, { ...pos, scratch: {}, lockToken: token }, `retried by ${by}`);
  if (!next) {
    if (token !== run.lockToken) await releaseLocks(ports.store, def.locks(run.input), token, log);
    return 'Someone else acted on this run first.';
  }
  await progressOf(next, log).thread(
    line(`:repeat: <@${by}> retries "${def.steps(run.input)[run.stepIndex]?.title}".`),
  );
  deps.background(id, log);
  return `Retrying ${def.title(run.input)}; follow the thread.`;
}
