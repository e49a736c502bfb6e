import type { ChatProgress } from '../ports/progress.ts';
import type { Clock, Ids } from '../ports/clock.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort, HerokuRelease } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { MetricsPort } from '../ports/metrics.ts';
import type { GuardPort } from '../ports/guard.ts';
import type { SpecDiffPort } from '../ports/spec-diff.ts';
import type { SpecSourcePort } from '../ports/spec-source.ts';
import type { Store } from '../ports/store.ts';
import type { ProbePort } from '../ports/probes.ts';
import type { SchedulePort } from '../ports/schedules.ts';
import type { EnvironmentConfig } from './environment.ts';
import type { Message } from './message.ts';
import type { ItemResult } from './checklist.ts';
import type { Args, OptionSpec } from './options.ts';
import type { Role, RoleSource } from './roles.ts';
import type { AlertRouting } from './alerts/routing.ts';

/** Who is asking, resolved from Slack (or the shell) before a command runs. */
export interface Caller {
  userId: string;
  role: Role;
  channelId: string;
  /** Where `role` comes from (set where the role is resolved from the config; `/autorisen whoami`). */
  roleSource?: RoleSource;
}

export type { Args } from './options.ts';

export type ParseResult<I> = { ok: true; input: I } | { ok: false; error: string };

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
}

/** The descriptive part of a command, for generated help. */
export interface CommandInfo {
  name: string;
  aliases?: string[];
  summary: string;
  usage: string;
  examples: string[];
  permission: Role;
}

/**
 * What an action will change, computed by reading only. Shown for --dry-run and in the approval
 * message; `fingerprint` captures the world state the plan relied on so it can be re-checked
 * just before execution ("the plan you approved is still the plan we run").
 */
export interface Plan {
  title: string;
  lines: string[];
  warnings: string[];
  env: string | null;
  /** JSON data execute() needs. */
  data: unknown;
  fingerprint: string;
  /** When set, there is nothing to do; this says why (e.g. "already on"). */
  noop?: string;
  /** Runs later, at this time (a scheduled change): a lock held now does not refuse asking for its approval. */
  later?: number;
}

export interface Outcome {
  ok: boolean;
  message: Message;
  /** Also announce the result in the channel (e.g. the kill switch). */
  announce?: boolean;
  /** One-line result for the audit log. */
  summary: string;
  /**
   * The channel the work tells about itself already (a deploy's notices go to its environment's
   * deploy channel): when that is the announce channel, the result is not announced there twice.
   */
  announcedIn?: string | null;
  /**
   * The process is stopping mid-way and the work will be resumed by the next one (deploys): the
   * approval stays `executing` and its message is left to the resumed work.
   */
  interrupted?: boolean;
}

export type ApprovalRule<I> = 'never' | 'always' | ((input: I, env: EnvironmentConfig | undefined) => boolean);

/** `permission` is the least role that may request the command. */
interface CommandBase<I> extends CommandInfo {
  /**
   * The options it takes (besides `--help`, and `--dry-run` on actions), declared next to `parse`;
   * anything else on the command line is refused before `parse` runs (src/core/command-line.ts).
   * Default: none.
   */
  options?: readonly OptionSpec[];
  /**
   * Most positional words it takes (`Number.POSITIVE_INFINITY` for free text); more is refused.
   * Required, so a new command cannot forget to say.
   */
  maxPositionals: number;
  parse(args: Args): ParseResult<I>;
}

/** Reads only; answers at once. */
export interface QueryCommand<I = unknown> extends CommandBase<I> {
  kind: 'query';
  run(input: I, ctx: CommandContext): Promise<Message>;
}

/** Changes the outside world: plan (dry-run, approval) then execute. */
export interface ActionCommand<I = unknown> extends CommandBase<I> {
  kind: 'action';
  approval: ApprovalRule<I>;
  /** Least role an approver needs (default operator). */
  approverRole?: Role;
  /**
   * Its work starts at once, never queued behind other changes (services/dispatch/change-lane.ts): the kill
   * switch and rollbacks, which must not wait for anything.
   */
  urgent?: boolean;
  /**
   * A lock may refuse it, and it may wait its turn instead: it takes `--queue` and a refusal offers
   * "Queue me" (issue 23 §3). Never the kill switch, which never waits for a lock.
   */
  queueable?: boolean;
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

/** What reading the vendor back after a crash found (ActionCommand.settle). */
export interface Settlement {
  /** The change is in place (true), is not (false), or could not be read (null: unknown). */
  applied: boolean | null;
  /** One sentence for the message and the audit row: what was read and what it means. */
  text: string;
}

export type Command<I = unknown> = QueryCommand<I> | ActionCommand<I>;

/** What `/autorisen deploy <env> [ref]` asks for. */
export interface DeployInput {
  env: string;
  /** Branch, tag or sha; null = the environment's branch. */
  ref: string | null;
}

/** What `/autorisen rollback <env> [version]` asks for. */
export interface RollbackInput {
  env: string;
  /** Release version to return to; null = the release before the current one. */
  version: number | null;
  /** `--accept-flag-change`: a production rollback that flips the rollout flag may run without a second person. */
  acceptFlagChange?: boolean;
}

/** What `flag on` found out about the code behind the flag (issue 23 §7; policy in flag-on-checks.ts). */
export interface FlagOnReadiness {
  /** What was probed and found, and the namespace's OpenAPI diff, for the plan. */
  lines: string[];
  /** Worth knowing, not a reason to refuse (e.g. staging's spec could not be read). */
  warnings: string[];
  /** Why the flag should not go on: routes missing, a breaking change outside the namespace, or no answer. */
  blockers: string[];
}

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
