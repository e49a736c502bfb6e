import type { CommandContext, Outcome, Plan } from '../core/command.ts';

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
}

/**
 * Deploys and rollbacks as a port, so commands/deploy.ts and commands/rollback.ts stay declarative:
 * the plan reads GitHub and Heroku; execute runs lock → backup → build/rollback → verify, following
 * the work in a thread and persisting every step (src/services/deploy-runner.ts).
 */
export interface DeployPort {
  planDeploy(input: DeployInput, ctx: CommandContext): Promise<Plan>;
  planRollback(input: RollbackInput, ctx: CommandContext): Promise<Plan>;
  /** Run a plan made by planDeploy/planRollback to the end. Vendor failures become a failed Outcome. */
  execute(plan: Plan, ctx: CommandContext): Promise<Outcome>;
}
