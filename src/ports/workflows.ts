import type { CommandContext, Outcome, Plan } from '../core/command.ts';

/** The workflow engine as commands see it (services/workflow-engine.ts behind it). */
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
