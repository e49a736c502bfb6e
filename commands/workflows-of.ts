import type { CommandContext } from '../src/core/command.ts';
import { AppError } from '../src/errors.ts';
import type { WorkflowPort } from '../src/ports/workflows.ts';

/** The workflow engine from the context; absent only in builds that do not wire it. */
export function workflowsOf(ctx: CommandContext): WorkflowPort {
  if (!ctx.workflows) throw new AppError('internal', 'Workflows are not set up in this instance of the bot.');
  return ctx.workflows;
}
