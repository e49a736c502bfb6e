import { AppError } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ChatProgress } from '../../ports/progress.ts';
import type { WorkflowPatch, WorkflowRun } from '../../ports/stores/workflows.ts';
import type { ChatPort } from '../../ports/chat.ts';
import { auditEntry } from '../audit.ts';
import { createProgress } from '../progress.ts';
import { line, WorkflowStopped } from './outcomes.ts';
import { outputOf, type StepData } from '../../core/workflow.ts';
import type { GateRequest, StepContext, StepPorts, StepState, WorkflowDef } from './types.ts';

export type MoveRun = (
  run: WorkflowRun,
  patch: Omit<WorkflowPatch, 'updatedAt'>,
  what: string,
) => Promise<WorkflowRun | null>;

const BREATHING = new Set(['running', 'waiting']);

/**
 * Whether a move belongs in the audit log, which is for decisions and changes: a step done or
 * failed, the run ending, retried or abandoned. A step saving its progress, the root message being
 * posted and a wait's running ↔ waiting ticks are not (they are in the logs and the thread); the
 * workflow run row, not the audit log, is what a restart settles from.
 */
function worthAuditing(run: WorkflowRun, patch: Omit<WorkflowPatch, 'updatedAt'>): boolean {
  if (patch.stepIndex !== undefined && patch.stepIndex !== run.stepIndex) return true;
  return (
    patch.state !== undefined && patch.state !== run.state && !(BREATHING.has(patch.state) && BREATHING.has(run.state))
  );
}

/** Persist a move, audited when it is a decision or a change; null when someone else moved the run first (compare-and-set on the version). */
export function createRunMover(ports: StepPorts): MoveRun {
  const clock = ports.clock;
  return async function move(run, patch, what) {
    const full: WorkflowPatch = { ...patch, updatedAt: clock.now() };
    const audit =
      worthAuditing(run, patch) &&
      auditEntry({
        at: clock.now(),
        correlationId: run.correlationId,
        actorId: run.requesterId,
        channelId: run.statusChannel,
        command: run.workflow,
        args: `${run.workflow} ${run.id}`,
        action: `workflow:${patch.state ?? run.state}`,
        result: patch.state === 'failed' || patch.state === 'faulty' ? 'failed' : 'ok',
        detail: what,
        env: run.env,
      });
    if (!(await ports.store.workflows.advance(run.id, run.version, full, audit || undefined))) return null;
    return { ...run, ...full, version: run.version + 1 };
  };
}

export interface StepContextDeps {
  ports: StepPorts;
  move: MoveRun;
  isStopped: () => boolean;
  requestApproval: (def: WorkflowDef, run: WorkflowRun, req: GateRequest) => Promise<{ id: string; expiresAt: number }>;
}

/** What a step sees: the ports plus saving its progress, pausing (stop-aware) and asking for an approval. */
export function stepContextFor(
  deps: StepContextDeps,
  owned: { run: WorkflowRun },
  def: WorkflowDef,
  progress: ChatProgress,
  log: Logger,
): StepContext {
  const { ports, move } = deps;
  const run = owned.run;
  return {
    ...ports,
    log,
    runId: run.id,
    workflow: def.name,
    requesterId: run.requesterId,
    env(name) {
      const e = ports.environments.find((x) => x.name === name);
      if (!e)
        throw new AppError('config_invalid', `Environment "${name}" is not configured; the ${def.name} cannot go on.`);
      return e;
    },
    say: (m) => progress.thread(typeof m === 'string' ? line(m) : m),
    async save(patch) {
      // Against the version this execution owns, never a fresh read: if another instance moved the
      // run meanwhile, this step's work is no longer the run's and must not be written over it.
      const mine = owned.run;
      const next = await move(mine, { scratch: { ...mine.scratch, ...patch } }, 'step progress saved');
      if (!next) throw new AppError('conflict', 'Another instance of the bot took this run over.');
      owned.run = next;
    },
    async pause(ms) {
      if (deps.isStopped()) throw new WorkflowStopped();
      await ports.clock.sleep(ms);
      if (deps.isStopped()) throw new WorkflowStopped();
    },
    requestApproval: (req) => deps.requestApproval(def, owned.run, req),
  };
}

/** The state a step runs with: its scratch, and the outputs of the steps before it read by reference. */
export function stepStateOf(data: StepData, scratch: StepData, resumed: boolean): StepState {
  return { scratch, resumed, output: (step) => outputOf(data, step) };
}

/** The run's root message and thread, or nowhere when it has none yet. */
export function runProgress(chat: () => ChatPort, run: WorkflowRun, log: Logger): ChatProgress {
  return run.statusChannel
    ? createProgress(
        chat(),
        run.statusChannel,
        log,
        run.statusTs ? { channel: run.statusChannel, ts: run.statusTs } : undefined,
      )
    : { update: async () => undefined, thread: async () => undefined };
}
