import type { Caller, Outcome, Plan } from '../../core/command.ts';
import { advance, isFinalRun, wake } from '../../core/workflow.ts';
import { AppError } from '../../errors.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ChatProgress } from '../../ports/progress.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import { releaseLocks, takeLocks, WORKFLOW_LOCK_TTL_MS } from './locks.ts';
import { createFinisher } from './finish.ts';
import { createHookRunner } from './hooks.ts';
import { decideRun } from './decisions.ts';
import { rootOf } from './messages.ts';
import { interrupted, line, outcomeOf, runStep, takenOver } from './outcomes.ts';
import { createRunLeases, type LeaseOptions } from './leases.ts';
import { createTakeover } from './takeover.ts';
import { newRun } from './new-run.ts';
import { previewSteps } from './preview.ts';
import { createRunMover, runProgress, stepContextFor, stepStateOf } from './step-context.ts';
import { createWakeups } from './wake.ts';
import type { GateRequest, StepContext, StepPorts, WorkflowDef } from './types.ts';

// Moved out to keep this file to the advance loop; re-exported so importers keep working.
export { WorkflowStopped } from './outcomes.ts';
export { WORKFLOW_LOCK_TTL_MS } from './locks.ts';

export interface WorkflowEngineDeps {
  ports: StepPorts;
  ids: Ids;
  log: Logger;
  chat: () => ChatPort;
  /** Posts a gate's approval through the approval service as the run's requester (wired in app.ts). */
  requestApproval: (def: WorkflowDef, run: WorkflowRun, req: GateRequest) => Promise<{ id: string; expiresAt: number }>;
  /** Run leases: one instance drives each run; a dead instance's runs are taken over (issue 19 §7). */
  leases?: LeaseOptions;
  /** How often a sleeping run re-reads its row for a wake-up from another instance (workflows/wake.ts). */
  wakePollMs?: number;
}

export interface StartOptions {
  caller: Caller;
  correlationId: string;
  progress: ChatProgress;
  log: Logger;
}

/** The engine: persistence, compare-and-set, locks, the root message and thread, resume, gates and offers. */
export function createWorkflowEngine(deps: WorkflowEngineDeps) {
  const defs = new Map<string, WorkflowDef>();
  const inFlight = new Set<Promise<unknown>>();
  const { ports } = deps;
  const clock = ports.clock;
  let stopped = false;
  const move = createRunMover(ports);
  // Decisions wake a waiting run at once, here or on another instance (workflows/wake.ts).
  const wakeups = createWakeups(ports.store, move, deps.wakePollMs);
  const stepDeps = { ports, move, isStopped: () => stopped, requestApproval: deps.requestApproval };
  type Owned = { run: WorkflowRun };
  const contextFor = (o: Owned, def: WorkflowDef, p: ChatProgress, log: Logger): StepContext =>
    stepContextFor(stepDeps, o, def, p, log);
  const hooks = createHookRunner({ chat: deps.chat, contextFor });
  const leases = createRunLeases(ports.store.workflowLeases, deps.log, deps.leases, () => stopped);

  const defOf = (run: WorkflowRun): WorkflowDef => {
    const d = defs.get(run.workflow);
    if (!d) throw new AppError('internal', `This bot no longer knows the "${run.workflow}" workflow.`);
    return d;
  };
  const progressOf = (run: WorkflowRun, log: Logger): ChatProgress => runProgress(deps.chat, run, log);

  /** Sleep until `at` or until the run is signalled or woken (here or elsewhere), whichever comes first. */
  const sleepUntil = (run: WorkflowRun, at: number): Promise<void> =>
    wakeups.sleep(run, clock.sleep(Math.max(0, at - clock.now())));

  /** Drive a run from its persisted position until it ends, stops, or waits for an event. */
  async function drive(
    id: string,
    progress: ChatProgress,
    log: Logger,
    resumed: boolean,
    detached: boolean,
  ): Promise<Outcome> {
    let fresh = resumed;
    for (;;) {
      if (stopped) return interrupted;
      let run = await ports.store.workflows.get(id);
      if (!run) throw new AppError('not_found', `No workflow run ${id}.`);
      const def = defOf(run);
      const steps = def.steps(run.input);
      const title = def.title(run.input);
      if (isFinalRun(run.state) || run.state === 'failed')
        return outcomeOf(run, title, steps[run.stepIndex]?.offerEnv ?? run.env);
      if (run.state === 'waiting') {
        if (run.wakeAt === null) return outcomeOf(run, title);
        if (clock.now() < run.wakeAt) await sleepUntil(run, run.wakeAt);
        if (stopped) return interrupted;
        run = await ports.store.workflows.get(id);
        if (run?.state !== 'waiting') continue;
        const woke = await move(run, { state: 'running', waitingFor: null, wakeAt: null }, 'woke up');
        if (!woke) continue;
        run = woke;
      }
      const step = steps[run.stepIndex];
      if (!step) {
        await finish(run, def, { state: 'done' }, progress, title, steps, detached);
        continue;
      }
      await progress.update(rootOf(def, run, steps));
      // The version this execution owns (its saves move it); another instance's move loses us the CAS.
      const owned = { run };
      const ctx = contextFor(owned, def, progress, log);
      const result = await runStep(step, ctx, stepStateOf(run.data, run.scratch, fresh), log);
      fresh = false;
      if (result === null) return interrupted;
      run = owned.run;
      const pos = advance(run, step.name, result, steps.length);
      if (isFinalRun(pos.state) || pos.state === 'failed') {
        if (!(await finish(run, def, pos, progress, title, steps, detached, result))) return takenOver(run);
        continue;
      }
      const next = await move(run, pos, `${step.name}: ${result.kind}`);
      if (!next) return takenOver(run);
      if (result.kind !== 'failed' && result.note) await progress.thread(line(result.note));
      if (next.state === 'waiting') {
        await progress.update(rootOf(def, next, steps));
        if (next.wakeAt === null) return outcomeOf(next, title);
      }
    }
  }

  const finish = createFinisher({ ports, ids: deps.ids, log: deps.log, move, hooks });

  function track(p: Promise<unknown>): void {
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  /** Run in the background (signals, retries), tracked so stop() does not cut it mid-write. */
  function background(id: string, log: Logger): void {
    const driven = async () => {
      // Another instance may drive it already (it took the run over, or was signalled too).
      if (!(await leases.claim(id))) return;
      try {
        const run = await ports.store.workflows.get(id);
        if (run) await drive(id, progressOf(run, log), log, false, true);
      } finally {
        await leases.release(id);
      }
    };
    track(driven().catch((err: unknown) => log.error({ err, runId: id }, 'workflow run failed')));
  }
  const takeover = createTakeover({
    ports,
    log: deps.log,
    leases,
    knows: (workflow) => defs.has(workflow),
    progressOf,
    drive: (id, progress, log) => drive(id, progress, log, true, true),
    track,
  });

  return {
    register(def: WorkflowDef): void {
      if (defs.has(def.name)) throw new Error(`Workflow "${def.name}" is registered twice`);
      defs.set(def.name, def);
    },
    get: (id: string) => ports.store.workflows.get(id),

    /** Take the locks, persist the run, post its root message and drive it (to the end or its first wait). */
    async start(name: string, request: unknown, o: StartOptions): Promise<Outcome> {
      const def = defs.get(name);
      if (!def) throw new AppError('internal', `No workflow "${name}".`);
      const input = def.prepare ? def.prepare(request) : request;
      const now = clock.now();
      const token = deps.ids.next();
      await takeLocks(ports.store, def.locks(input), {
        token,
        holderId: o.caller.userId,
        kind: def.name,
        // Plain text (escaped when shown); the requester is the holder, shown as a mention.
        reason: def.title(input),
        now,
        ttlMs: WORKFLOW_LOCK_TTL_MS,
      });
      const run = newRun({
        id: deps.ids.next(),
        workflow: def.name,
        env: def.env(input),
        input,
        requesterId: o.caller.userId,
        lockToken: token,
        correlationId: o.correlationId,
        now,
      });
      try {
        await ports.store.workflows.create(run);
      } catch (err) {
        await releaseLocks(ports.store, def.locks(input), token, o.log);
        throw err;
      }
      const steps = def.steps(input);
      await o.progress.update(rootOf(def, run, steps));
      const ref = o.progress.ref?.();
      let posted = run;
      if (ref) {
        const next = await move(run, { statusChannel: ref.channel, statusTs: ref.ts }, 'root message posted');
        if (!next) return takenOver(run);
        posted = next;
      }
      await hooks.run('started', def, posted, o.progress, o.log.child({ runId: run.id }), false);
      // A peer's sweep takes over only runs whose lease expired, so the run is not taken before this.
      if (!(await leases.claim(run.id))) return stopped ? interrupted : takenOver(run);
      const log = o.log.child({ runId: run.id, workflow: def.name });
      return drive(run.id, o.progress, log, false, false).finally(() => leases.release(run.id));
    },

    /** Wake a run waiting for `event` (an approval); false when it waits for nothing of the kind. */
    async signal(id: string, event: string): Promise<boolean> {
      const run = await ports.store.workflows.get(id);
      if (!run) return false;
      const pos = wake(run, event);
      if (!pos) return false;
      // Its driver sleeps (here or on another instance) and re-checks now.
      if (run.wakeAt !== null) {
        await wakeups.wake(run, clock.now(), `signalled: ${event}`);
        return true;
      }
      if (!(await move(run, pos, `signalled: ${event}`))) return false;
      background(id, deps.log.child({ runId: id }));
      return true;
    },

    /**
     * A decision on what a waiting run waits for (its gate's approval rejected or expired): wake it
     * now, wherever it is driven, so its step re-reads the decision instead of at its next look.
     */
    async nudge(id: string, why: string): Promise<boolean> {
      const run = await ports.store.workflows.get(id);
      return run ? wakeups.wake(run, clock.now(), why) : false;
    },

    /** Retry the stopped step (fresh scratch) or abandon the run: a person's click, compare-and-set. */
    decide: (id: string, action: 'retry' | 'abandon', by: string): Promise<string> =>
      decideRun({ ports, ids: deps.ids, log: deps.log, move, defOf, progressOf, background, hooks }, id, action, by),

    /** The plan a gate shows its approver, recomputed when Approve is clicked (the approval service compares it). */
    async gatePlan(id: string): Promise<Plan> {
      const run = await ports.store.workflows.get(id);
      if (!run) throw new AppError('not_found', `No workflow run ${id}.`);
      const def = defOf(run);
      const step = def.steps(run.input)[run.stepIndex];
      // Running is fine too: its driver may have just woken to re-read the approval being decided now.
      if ((run.state !== 'waiting' && run.state !== 'running') || !step?.plan)
        throw new AppError(
          'conflict',
          `This ${run.workflow} is not waiting at an approval gate any more (${run.state}).`,
        );
      const ctx = contextFor({ run }, def, progressOf(run, deps.log), deps.log);
      return step.plan(ctx, stepStateOf(run.data, run.scratch, false));
    },

    /** Dry run: every step in order; read-only gates run now and show their answer. Changes nothing. */
    async preview(name: string, request: unknown, log: Logger): Promise<string[]> {
      const def = defs.get(name);
      if (!def) throw new AppError('internal', `No workflow "${name}".`);
      const input = def.prepare ? def.prepare(request) : request;
      const now = clock.now();
      const run = newRun({
        id: 'dry-run',
        workflow: name,
        env: def.env(input),
        input,
        requesterId: 'dry-run',
        lockToken: null,
        correlationId: 'dry-run',
        now,
      });
      const quiet: ChatProgress = { update: async () => undefined, thread: async () => undefined };
      const ctx: StepContext = { ...contextFor({ run }, def, quiet, log), save: async () => undefined };
      return previewSteps(def, input, ctx, log);
    },

    /** Pick up every run a previous process left running or waiting; then take over runs of instances that die. */
    resume: (): Promise<number> => takeover.resume(),

    /** Resolves when no run is being driven in the background (tests, graceful stop). */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },

    /** Stop driving (shutdown): nothing moves any more; the next process resumes from the rows. */
    async stop(): Promise<void> {
      stopped = true;
      wakeups.wakeAll();
      await Promise.allSettled([...inFlight]);
      await takeover.stop();
    },
  };
}

export type WorkflowEngine = ReturnType<typeof createWorkflowEngine>;
