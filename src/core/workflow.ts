/**
 * Workflows, pure: a workflow is a named list of steps; each step's run answers `done`, `wait` or
 * `failed`, and `advance` turns that answer into the next persisted state of the run. The engine
 * (services/workflows/engine.ts) applies it with compare-and-set on the run's version, so a step
 * already advanced by another instance (or before a restart) is never advanced twice. Durable
 * execution as in Temporal: deterministic step list, idempotent activities, resume from the row.
 *
 *   running ──done──→ running (next step) … ──done──→ done
 *   running ──wait──→ waiting ──(time or event)──→ running (same step again)
 *   running ──failed─→ failed ──Retry──→ running (same step) | ──Abandon──→ abandoned
 *   running ──failed(faulty)─→ faulty (final: the release went out but production alerted)
 */

/** What a person can do about a stopped run; each becomes a button in its thread. */
export const OFFERS = ['rollback', 'retry', 'abandon', 'flag_off'] as const;
export type Offer = (typeof OFFERS)[number];

/** Persisted step data as stored: each finished step's output under its name, and a step's scratch. */
export type StepData = Record<string, unknown>;

/**
 * A step as a later step (or a hook) names it to read what it produced: the step itself, or a
 * constant with its name. `produces` is never set; it carries the output's type, so reading the
 * output of a step is checked by the compiler and needs no cast.
 */
export interface StepRef<Out> {
  readonly name: string;
  readonly produces?: Out;
}

/** The step finished; `data` (JSON-safe) is kept under the step's name for later steps. */
export interface Done<Out> {
  kind: 'done';
  data: Out;
  note: string | null;
}
/** Come back to this step at `until` (epoch ms) or when `event` is signalled, whichever is first. */
export interface Waiting {
  kind: 'wait';
  until: number | null;
  event: string | null;
  note: string | null;
}
/** The step cannot go on; `faulty`: the work went out but proved bad; `external`: an API on the way failed. */
export interface Failed {
  kind: 'failed';
  reason: string;
  offers: Offer[];
  faulty: boolean;
  external?: boolean;
}

export type StepResult<Out = object> = Done<Out> | Waiting | Failed;

/** The step finished; `data` is kept under the step's name for later steps. */
export function done(): Done<Record<string, never>>;
export function done<Out extends object>(data: Out, note?: string | null): Done<Out>;
export function done(data: object = {}, note: string | null = null): Done<object> {
  return { kind: 'done', data, note };
}
/** Come back to this step at `until` (epoch ms) or when `event` is signalled, whichever is first. */
export const wait = (opts: { until?: number; event?: string; note?: string }): Waiting => ({
  kind: 'wait',
  until: opts.until ?? null,
  event: opts.event ?? null,
  note: opts.note ?? null,
});
/** The step cannot go on: say why and what a person can do about it. */
export const failed = (reason: string, offers: Offer[] = ['retry', 'abandon']): Failed => ({
  kind: 'failed',
  reason,
  offers,
  faulty: false,
});
/** An API on the way failed (a 5xx or timeout on a write), not the work itself: the run may have changed things. */
export const failedExternally = (reason: string, offers?: Offer[]): Failed => ({
  ...failed(reason, offers),
  external: true,
});
/** The work is out but proved bad (an alert during the production bake): the run ends "faulty". */
export const faulty = (reason: string, offers: Offer[]): Failed => ({
  kind: 'failed',
  reason,
  offers,
  faulty: true,
});

/**
 * What `step` produced in a run, read from the run's persisted data (undefined before it ran, or
 * when the workflow skipped it). The data under a step's name was written by that step's `done`,
 * so this is the one place persisted step data meets its type.
 */
export function outputOf<Out>(data: StepData, step: StepRef<Out>): Out | undefined {
  const d = data[step.name];
  return d === undefined || d === null ? undefined : (d as Out);
}

export const RUN_STATES = ['running', 'waiting', 'failed', 'done', 'faulty', 'abandoned'] as const;
export type RunState = (typeof RUN_STATES)[number];
/** States a restart picks up again (a failed run waits for a person: Retry or Abandon). */
export const ACTIVE_RUN_STATES: readonly RunState[] = ['running', 'waiting'];
export const isFinalRun = (s: RunState): boolean => s === 'done' || s === 'faulty' || s === 'abandoned';

/** The persisted fields `advance` reads and writes. */
export interface RunPosition {
  state: RunState;
  stepIndex: number;
  /** Outputs of finished steps by step name. */
  data: StepData;
  /** The current step's own scratch (ids it must read back after a restart); cleared when it is done. */
  scratch: StepData;
  waitingFor: string | null;
  wakeAt: number | null;
  error: string | null;
  offers: Offer[];
}

/** The next position after the current step answered `result`; `stepCount` ends the run when passed. */
export function advance(pos: RunPosition, stepName: string, result: StepResult, stepCount: number): RunPosition {
  const clear: Pick<RunPosition, 'waitingFor' | 'wakeAt' | 'error' | 'offers'> = {
    waitingFor: null,
    wakeAt: null,
    error: null,
    offers: [],
  };
  if (result.kind === 'done') {
    const stepIndex = pos.stepIndex + 1;
    return {
      ...pos,
      ...clear,
      state: stepIndex >= stepCount ? 'done' : 'running',
      stepIndex,
      data: { ...pos.data, [stepName]: result.data },
      scratch: {},
    };
  }
  if (result.kind === 'wait')
    return { ...pos, ...clear, state: 'waiting', waitingFor: result.event, wakeAt: result.until };
  return {
    ...pos,
    ...clear,
    state: result.faulty ? 'faulty' : 'failed',
    error: result.reason,
    offers: result.offers,
    // An API on the way failed (not the work itself): kept with the step's scratch, which a Retry clears.
    ...(result.external ? { scratch: { ...pos.scratch, external: true } } : {}),
  };
}

/** What a person's click does to a stopped run; null when it does not apply in this state. */
export function decide(pos: RunPosition, action: 'retry' | 'abandon'): RunPosition | null {
  if (pos.state !== 'failed') return null;
  const clear: Pick<RunPosition, 'waitingFor' | 'wakeAt' | 'offers'> = { waitingFor: null, wakeAt: null, offers: [] };
  return action === 'retry'
    ? { ...pos, ...clear, state: 'running', error: null }
    : { ...pos, ...clear, state: 'abandoned' };
}

/** An event wakes a waiting run only if it waits for exactly that event. */
export function wake(pos: RunPosition, event: string): RunPosition | null {
  if (pos.state !== 'waiting' || pos.waitingFor !== event) return null;
  return { ...pos, state: 'running', waitingFor: null, wakeAt: null };
}

/** What each final or parked state means to a person reading the thread. */
export const RUN_STATE_WORDS: Record<RunState, string> = {
  running: 'running',
  waiting: 'waiting',
  failed: 'stopped',
  done: 'done',
  faulty: 'faulty',
  abandoned: 'abandoned',
};
