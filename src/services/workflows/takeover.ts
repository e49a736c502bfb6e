import type { Outcome } from '../../core/command.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ChatProgress } from '../../ports/progress.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import type { StepPorts } from './types.ts';
import type { RunLeases } from './leases.ts';
import { line } from './outcomes.ts';

export interface TakeoverDeps {
  ports: StepPorts;
  log: Logger;
  leases: RunLeases;
  knows: (workflow: string) => boolean;
  progressOf: (run: WorkflowRun, log: Logger) => ChatProgress;
  /** Drive a run this process just claimed, in the background (tracked for stop()). */
  drive: (id: string, progress: ChatProgress, log: Logger) => Promise<Outcome>;
  track: (p: Promise<unknown>) => void;
}

/**
 * Pick up runs nobody drives (issue 19 §7). At boot (`restart`): every unfinished run whose lease is
 * free or expired, as before. Afterwards, every few seconds (`peer`): runs that are running or asleep
 * on a timer whose instance stopped renewing its lease (killed: `kill -9`, an OOM, a crashed dyno).
 * A graceful stop hands its leases over (expired at once). A run waiting for a person is driven by
 * nobody; whichever instance the click reaches continues it.
 */
export function createTakeover(d: TakeoverDeps) {
  let timer: NodeJS.Timeout | null = null;
  async function sweep(why: 'restart' | 'peer'): Promise<number> {
    // A peer takes over only runs that had a driver who is gone (an expired lease row). A run with
    // no row has nobody meant to drive it: it waits for a person, or its drive ended on an error
    // that a restart (the boot sweep) or a person's Retry picks up, not a loop every 15 s.
    const expired = why === 'peer' ? await d.leases.expired() : null;
    if (expired?.size === 0) return 0;
    const active = await d.ports.store.workflows.listActive();
    let taken = 0;
    for (const run of active) {
      if (!d.knows(run.workflow) || d.leases.drives(run.id)) continue;
      if (expired && (!expired.has(run.id) || (run.state === 'waiting' && run.wakeAt === null))) continue;
      if (!(await d.leases.claim(run.id))) continue;
      taken++;
      const log = d.log.child({ runId: run.id, workflow: run.workflow, resumed: true, takeover: why });
      const progress = d.progressOf(run, log);
      const at = `step ${run.stepIndex + 1}`;
      await progress
        .thread(
          line(
            why === 'restart'
              ? `:arrows_counterclockwise: The bot restarted; picking this ${run.workflow} up again at ${at}.`
              : `:arrows_counterclockwise: The instance of the bot running this ${run.workflow} stopped; another instance picks it up again at ${at}.`,
          ),
        )
        .catch((err: unknown) => log.warn({ err }, 'could not say the run was picked up'));
      if (why === 'peer') log.warn({ step: run.stepIndex }, 'took over a workflow run whose instance stopped');
      d.track(
        d
          .drive(run.id, progress, log)
          .catch((err: unknown) => log.error({ err }, 'could not resume the workflow'))
          .finally(() => d.leases.release(run.id)),
      );
    }
    return taken;
  }
  return {
    /** Boot: pick up what a previous process left, then keep an eye on peers' runs. */
    async resume(): Promise<number> {
      d.leases.start();
      const n = await sweep('restart');
      timer ??= setInterval(
        () => void sweep('peer').catch((err: unknown) => d.log.warn({ err }, 'looking for abandoned runs failed')),
        d.leases.sweepMs,
      ).unref();
      return n;
    },
    sweep,
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await d.leases.stop();
    },
  };
}
