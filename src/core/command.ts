import type { EnvironmentConfig } from './environment.ts';
import type { Message } from './message.ts';
import type { Args, OptionSpec } from './options.ts';
import type { Role, RoleSource } from './roles.ts';

/**
 * What the core knows of a command: who asks, its description and options, its parse, and the
 * plans and outcomes it produces. What a command does with the outside world (its context of ports,
 * `plan`, `execute`, `run`) is src/ports/command.ts: ports → core, never the other way.
 */

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
export interface CommandBase<I> extends CommandInfo {
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

/**
 * A command as the registry, the parser and the policy read it: a query or an action, whether a lock
 * may queue it (src/ports/command.ts adds the rest: what it does, its approval rule, its environment).
 */
export interface CommandShape<I = unknown> extends CommandBase<I> {
  kind: 'query' | 'action';
  /**
   * A lock may refuse it, and it may wait its turn instead: it takes `--queue` and a refusal offers
   * "Queue me" (issue 23 §3). Never the kill switch, which never waits for a lock.
   */
  queueable?: boolean;
  /**
   * An admin may skip the second person with `--break-glass --reason "…"` after typing the
   * environment's name (issue 23 §2; src/core/break-glass.ts). Never anything else: backup, lock,
   * gates and guard stay. A command whose `envOf` is null (release) targets the production environment.
   */
  breakGlass?: boolean;
}

/** What reading the vendor back after a crash found (ActionCommand.settle). */
export interface Settlement {
  /** The change is in place (true), is not (false), or could not be read (null: unknown). */
  applied: boolean | null;
  /** One sentence for the message and the audit row: what was read and what it means. */
  text: string;
}

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
