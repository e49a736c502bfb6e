import type { ActionHandler } from '../core/transport.ts';
import type { Ports } from '../services/context.ts';
import type { ScheduleDeps } from '../services/schedule/schedule-deps.ts';
import { scheduleButtons } from '../services/schedule/schedule-buttons.ts';
import { createSchedulePort } from '../services/schedule/schedule-port.ts';
import { sweepSchedules } from '../services/schedule/schedule-runner.ts';

/** How often the scheduler looks for due changes and flag offs (a change runs at most this late). */
export const SCHEDULE_SWEEP_MS = 15_000;

export interface ScheduleRuntime {
  /** Run what is due, skip what was missed, ask after a flag off, settle dead claims (tests call it). */
  sweep(): Promise<void>;
}

/**
 * Scheduled flag changes (issue 23 §1) in the app: the port commands use (`flag on … at`,
 * `/autorisen schedule`), the question's buttons, and the sweep on the injected clock, a first one
 * at once (a change due while no instance ran: run within the grace, else skipped as missed).
 */
export function wireSchedules(
  deps: Omit<ScheduleDeps, 'dispatcher'>,
  live: { ports: Ports; actionHandlers: ActionHandler[]; dispatcher: ScheduleDeps['dispatcher'] },
): ScheduleRuntime {
  const d: ScheduleDeps = { ...deps, dispatcher: live.dispatcher };
  const port = createSchedulePort(d);
  live.ports.schedules = port;
  live.actionHandlers.push(...scheduleButtons(d, port));
  let running: Promise<void> | null = null;
  // One sweep at a time in this process (a slow run must not be claimed twice by the same timer).
  const sweep = () => {
    running ??= sweepSchedules(d)
      .catch((err: unknown) => deps.log.warn({ err }, 'scheduled change sweep failed'))
      .finally(() => {
        running = null;
      });
    return running;
  };
  return { sweep };
}
