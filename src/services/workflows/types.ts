import type { EnvironmentConfig } from '../../config.ts';
import type { Probe } from '../../config/probes-schema.ts';
import type { ReleaseConfig } from '../../config/release-schema.ts';
import type { TaskConfig } from '../../config/tasks-schema.ts';
import type { Plan } from '../../core/command.ts';
import type { Message } from '../../core/message.ts';
import type { Role } from '../../core/roles.ts';
import type { Offer, StepRef, StepResult } from '../../core/workflow.ts';
import type { Clock } from '../../ports/clock.ts';
import type { GitHubPort } from '../../ports/github.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { Logger } from '../../ports/logger.ts';
import type { SpecDiffPort } from '../../ports/spec-diff.ts';
import type { SpecSourcePort } from '../../ports/spec-source.ts';
import type { Store } from '../../ports/store.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';

/** GET a URL and answer its HTTP status (throws when nothing answers); headers for a probe token. */
export type HttpProbe = (url: string, opts: { timeoutMs: number; headers?: Record<string, string> }) => Promise<number>;

/** The ports a step may use: vendors and reads of the store. Never the lock, the thread root or the run row. */
export interface StepPorts {
  environments: readonly EnvironmentConfig[];
  heroku: HerokuPort;
  github: GitHubPort;
  specDiff: SpecDiffPort;
  specs: SpecSourcePort;
  store: Store;
  clock: Clock;
  http: HttpProbe;
  /** Poll interval steps use while following vendor work (tests make it small); it backs off per poll. */
  pollMs: number;
  /** Heroku API tokens left (RateLimit-Remaining, estimated); polling slows as it falls. Null: unknown. */
  herokuRemaining: () => number | null;
  /** How often a bake window looks for new alerts (on the injected clock). */
  bakePollMs: number;
  /** Contract probes per environment (config probes:). */
  probes: Readonly<Record<string, readonly Probe[]>>;
  /**
   * More reasons a bake may fail besides a new alert (the extension point for guarded rollouts: a
   * drain metric over its threshold, say). Each is asked on every look the bake takes; a non-null
   * answer stops the bake as an alert does (production: faulty, with Roll back and Flag off).
   */
  bakeChecks?: readonly BakeCheck[];
}

/** One look at an environment during its bake window: null while it looks healthy, else why not. */
export type BakeCheck = (
  ctx: StepPorts,
  window: { env: string; since: number; production: boolean },
) => Promise<string | null>;

/** An approval a gate step asks for; the engine posts it through the approval service. */
export interface GateRequest {
  plan: Plan;
  approverRole: Role;
}

/**
 * What a step gets besides its state: ports, its environment lookup, a thread line and its scratch.
 * `Scratch` is the step's own record of vendor work in progress (ids it reads back after a restart).
 */
export interface StepContext<Scratch extends object = object> extends StepPorts {
  log: Logger;
  env(name: string): EnvironmentConfig;
  runId: string;
  /** The workflow this step runs in (its name labels what the step records, e.g. a probe run). */
  workflow: string;
  requesterId: string;
  /** A line in the run's thread (details of progress; the engine owns the root message). */
  say(message: Message | string): Promise<void>;
  /** Persist this step's scratch now (before acting on what it names), so a restart reads it back. */
  save(patch: Partial<Scratch>): Promise<void>;
  /** Sleep between polls; throws when the process stops (the run resumes in the next one). */
  pause(ms: number): Promise<void>;
  /** Post an approval for this run through the approval service; answers its id and expiry. */
  requestApproval(req: GateRequest): Promise<{ id: string; expiresAt: number }>;
}

/** The run as a step sees it. */
export interface StepState<Scratch extends object = object> {
  /** This step's own scratch (empty on its first run, and after Retry). */
  scratch: Partial<Scratch>;
  /** First run of this step in this process after a restart: a write whose id was not saved may have happened. */
  resumed: boolean;
  /** What an earlier step of this run produced, named by reference (undefined when it has not run). */
  output<Out>(step: StepRef<Out>): Out | undefined;
}

/**
 * One step: idempotent (reads back before writing, or carries a vendor key), so re-running it after
 * a crash is safe. `Out` is what it hands later steps (JSON-safe, persisted under its name); a
 * later step reads it with `state.output(thisStep)`.
 */
export interface Step<Out extends object = object, Scratch extends object = object> extends StepRef<Out> {
  name: string;
  /** What it does, for the root message and dry runs ("Deploy to staging"). */
  title: string;
  run(ctx: StepContext<Scratch>, state: StepState<Scratch>): Promise<StepResult<Out>>;
  /** Gates: the plan shown to the approver, recomputed when the Approve button is clicked. */
  plan?(ctx: StepContext<Scratch>, state: StepState<Scratch>): Promise<Plan>;
  /** For --dry-run: this step's answer if it ran now (gates), or what it would do. */
  preview?(ctx: StepContext<Scratch>, state: StepState<Scratch>): Promise<string>;
  /** Reads only (gates): a dry run runs it to show its current answer. */
  readOnly?: boolean;
  /** The environment a Roll back / Flag off offered after this step's failure is about. */
  offerEnv?: string;
}

/** Settings a workflow is built with (from the config, fixed for the process). */
export interface WorkflowSettings {
  release: ReleaseConfig;
  /** The rollout's API namespace (config diff.namespace). */
  namespace: string;
  /** Allow-listed one-off tasks by name (config tasks:). */
  tasks: Readonly<Record<string, TaskConfig>>;
}

/** What a workflow's start/stop hooks get: a step's context plus the run (and its input) and the deploy channels. */
export interface HookContext<I = unknown> extends StepContext {
  run: WorkflowRun;
  /** The run's input, as the workflow's `prepare` made it. */
  input: I;
  /** The title of the step the run is at (where it stopped); null past the last step. */
  stepTitle: string | null;
  /**
   * Nobody awaits this run's outcome (it resumed after a restart, or was driven again after a click):
   * what the command's caller would settle (its approval), the hook settles itself.
   */
  detached: boolean;
  /** Post a notice in the environment's deploy channel (unless the run's own thread is there); best effort. */
  announce(envName: string, message: Message | string): Promise<void>;
}

/**
 * A workflow: a name, the environments it locks, and its steps for an input. `I` is the persisted
 * input, `R` the request its command hands `start` (the catalog pairs the two). The engine holds
 * every workflow as a `WorkflowDef` and gives each back only the input its own `prepare` made, so a
 * `WorkflowDef<ReleaseInput>` registers as one without a cast (method parameters are bivariant).
 */
export interface WorkflowDef<I = unknown, R = unknown> {
  name: string;
  /** Turn what the command asked for into the persisted input (settings folded in); identity when absent. */
  prepare?(request: R): I;
  /** The command that continues it at an approval gate (its plan re-checks the gate). */
  command: string;
  /** The environment the run is about (audit, listing). */
  env(input: I): string;
  /** Environments locked for the whole run (released when it stops or ends). */
  locks(input: I): string[];
  title(input: I): string;
  steps(input: I): Step[];
  /** A line under the root message's head once the run has stopped ("staging runs v3"); null for none. */
  outcome?(input: I, run: WorkflowRun): string | null;
  /** Facts for the root message ("Was v12", "Backup b003"), from what the run has done so far. */
  facts?(input: I, run: WorkflowRun): string[];
  /**
   * When the run stops (failed or final), keep its environments locked as a manual freeze with this
   * reason instead of releasing them (a rollback: nothing ships until someone unlocks). Null releases.
   */
  freezeReason?(input: I, run: WorkflowRun): string | null;
  /** Side effects once the run is persisted and its root message posted (notices, GitHub). Best effort. */
  started?(ctx: HookContext<I>): Promise<void>;
  /** Side effects each time the run stops: failed, done, faulty, abandoned (notices, GitHub, its approval). Best effort. */
  stopped?(ctx: HookContext<I>): Promise<void>;
}

/** A workflow as the catalog registers it: built from the settings when the app starts. */
export type RegisteredWorkflow = (settings: WorkflowSettings) => WorkflowDef;

/** Register a typed workflow: checks that it builds a `WorkflowDef`, and holds it as one. */
export const registered = <I, R>(make: (settings: WorkflowSettings) => WorkflowDef<I, R>): RegisteredWorkflow => make;

export type { Offer };
