import type { ChatProgress } from './progress.ts';
import type { Clock, Ids } from './clock.ts';
import type { GitHubPort } from './github.ts';
import type { HerokuPort, HerokuRelease } from './heroku.ts';
import type { Logger } from './logger.ts';
import type { MetricsPort } from './metrics.ts';
import type { GuardPort } from './guard.ts';
import type { SchedulePort } from './schedules.ts';
import type { SpecDiffPort } from './spec-diff.ts';
import type { SpecSourcePort } from './spec-source.ts';
import type { Store } from './store.ts';
import type { ProbePort } from './probes.ts';
import type { AlertRouting } from '../core/alerts/routing.ts';
import type { ItemResult } from '../core/checklist.ts';
import type {
  ApprovalRule,
  Caller,
  CommandInfo,
  CommandShape,
  DeployInput,
  FlagOnReadiness,
  Outcome,
  Plan,
  RollbackInput,
  Settlement,
} from '../core/command.ts';
import type { EnvironmentConfig } from '../core/environment.ts';
import type { Message } from '../core/message.ts';
import type { Role } from '../core/roles.ts';
import type { Registry } from '../core/registry.ts';

/**
 * A command as it runs: the context of ports it is given, and what it does with them (`run`, or
 * `plan` then `execute`). The context is the bag of ports, so it lives with the ports, which speak the
 * core's types (src/core/command.ts: the caller, the description, the plan and outcome); the core
 * never imports a port (test/unit/import-directions.test.ts).
 */

// The core's half, so a command imports its whole contract from here.
export type {
  ApprovalRule,
  Args,
  Caller,
  CommandInfo,
  DeployInput,
  FlagOnReadiness,
  Outcome,
  ParseResult,
  Plan,
  RollbackInput,
  Settlement,
} from '../core/command.ts';

/** The ports and settings fixed for the whole process; every command context carries them. */
export interface CommandPorts {
  environments: readonly EnvironmentConfig[];
  heroku: HerokuPort;
  /** Heroku for reads that may give way (status, Home): cached, refused when the API budget runs low. */
  herokuReads?: HerokuPort;
  github: GitHubPort;
  specDiff: SpecDiffPort;
  /** Loads OpenAPI documents: http(s) URLs and `github:` refs (`/autorisen diff`). */
  specs: SpecSourcePort;
  /** The workflow engine (deploy, rollback, release, task); absent where not wired. */
  workflows?: WorkflowPort;
  /** Contract probes per environment (`/autorisen verify`); absent where not wired. */
  probes?: ProbePort;
  /** Alert routing in force (config alerts.*), for `/autorisen alerts routes`; absent where not wired. */
  alertRouting?: AlertRouting;
  /** Extra hosts `/autorisen diff` may fetch besides the environments' own (config diff.allowed_hosts). */
  diffAllowedHosts?: readonly string[];
  /** The release's environments, spec, namespace and staging tasks (config release:, diff.namespace), for `/autorisen checklist`. */
  rollout?: {
    staging: string;
    production: string;
    specPath: string;
    namespace: string;
    releaseTasks: readonly string[];
  };
  /** Read-only plans of deploys and rollbacks, and flag on's code check (services/deploys/change-plans.ts); absent where not wired. */
  changePlans?: ChangePlanPort;
  /** The rollout checklist's live items (services/checklist-facts.ts); absent where not wired. */
  checklist?: ChecklistPort;
  /** Log drain metrics (`/autorisen metrics`, issue 12); absent where not wired. */
  metrics?: MetricsPort;
  /** Guarded rollouts (`/autorisen guard`, issue 21); absent where not wired. */
  guards?: GuardPort;
  /** Scheduled flag changes (`flag on <env> at …`, `/autorisen schedule`, issue 23 §1); absent where not wired. */
  schedules?: SchedulePort;
  store: Store;
  clock: Clock;
  ids: Ids;
  /** Waits before each read-back of a flag PATCH Heroku did not answer (default READBACK_WAITS_MS; tests shorten it). */
  flagReadbackWaitsMs?: readonly number[];
  /** Every registered sub-command (for help). */
  catalog: readonly CommandInfo[];
}

/** Everything a command may touch, all through ports, plus who is asking. */
export interface CommandContext extends CommandPorts {
  caller: Caller;
  correlationId: string;
  /** Look an environment up by name or alias ("prod", "production", "capecraft"). */
  env(name: string): EnvironmentConfig | undefined;
  log: Logger;
  /** Show progress on long work: a message updated in place and/or a thread. */
  progress: ChatProgress;
  /** Set while executing an approved request: which approval, and who approved it. */
  approval?: { id: string; approvedBy: string };
  /** Set while executing a break-glass change (issue 23 §2): no second person; a release's gate passes on it. */
  breakGlass?: { id: string; actorId: string; reason: string };
}

/** Reads only; answers at once. */
export interface QueryCommand<I = unknown> extends CommandShape<I> {
  kind: 'query';
  run(input: I, ctx: CommandContext): Promise<Message>;
}

/** Changes the outside world: plan (dry-run, approval) then execute. */
export interface ActionCommand<I = unknown> extends CommandShape<I> {
  kind: 'action';
  approval: ApprovalRule<I>;
  /** Least role an approver needs (default operator). */
  approverRole?: Role;
  /**
   * Its work starts at once, never queued behind other changes (services/dispatch/change-lane.ts): the kill
   * switch and rollbacks, which must not wait for anything.
   */
  urgent?: boolean;
  /** The environment this input targets (for approval policy, locks and audit). */
  envOf(input: I): string | null;
  plan(input: I, ctx: CommandContext): Promise<Plan>;
  execute(plan: Plan, input: I, ctx: CommandContext): Promise<Outcome>;
  /**
   * After a crash: the process died while `execute` ran, so nobody knows whether the change landed.
   * Read the vendor back (reads only) and say which: `applied` (done after all) or not. Called at
   * boot for every approval left `executing`. Null: the work is still going on and settles the
   * approval itself when it stops (a deploy the workflow engine resumes).
   */
  settle?(plan: Plan, input: I, ctx: CommandContext): Promise<Settlement | null>;
}

export type Command<I = unknown> = QueryCommand<I> | ActionCommand<I>;

// Commands differ in their input type; the registry holds them existentially.
// biome-ignore lint/suspicious/noExplicitAny: a registry holds commands of every input type
export type AnyCommand = Command<any>;

/** The registry of every command the dispatcher runs (src/core/registry.ts, over whole commands). */
export type CommandRegistry = Registry<AnyCommand>;

/** Reads for the checks (services/flag-on-readiness.ts); never throws (an unreadable spec is a warning). */
export type FlagOnCheck = (env: EnvironmentConfig, ctx: CommandContext) => Promise<FlagOnReadiness>;

/** Plans of deploys and rollbacks, by reading only (what `--dry-run` and the approval show). */
export interface ChangePlanPort {
  deploy(input: DeployInput, ctx: CommandContext): Promise<Plan>;
  rollback(input: RollbackInput, ctx: CommandContext): Promise<Plan>;
  /** The commit each release runs (builds, promotions, rollbacks, config changes), by version. */
  commitsOf(app: string, releases: readonly HerokuRelease[], ctx: CommandContext): Promise<Map<number, string | null>>;
  /** `flag on`'s check that the code behind the flag is there (issue 23 §7); absent where not wired. */
  flagOn?: FlagOnCheck;
}

/** The rollout checklist's items with their live status and evidence (`only`: one item's key). */
export interface ChecklistPort {
  gather(ctx: CommandContext, only: string | null): Promise<ItemResult[]>;
}

/** The workflow engine as commands see it (services/workflows/engine.ts behind it). */
export interface WorkflowPort {
  /** Start a registered workflow: takes its locks, posts its root message and drives it. */
  start(name: string, input: unknown, ctx: CommandContext): Promise<Outcome>;
  /** Wake a run waiting for `event` (an approval gate's "approved"). */
  signal(runId: string, event: string): Promise<boolean>;
  /** The plan of the gate a run waits at, recomputed (the approval service compares it with the approved one). */
  gatePlan(runId: string): Promise<Plan>;
  /** Dry run: one line per step; read-only gates run and show their current answer. */
  preview(name: string, input: unknown, ctx: CommandContext): Promise<string[]>;
}
