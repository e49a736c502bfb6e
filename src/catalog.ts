import { deployCommand } from '../commands/deploy.ts';
import { help } from '../commands/help.ts';
import { commands } from '../commands/index.ts';
import { releaseCommand } from '../commands/release.ts';
import { rollbackCommand } from '../commands/rollback.ts';
import { runCommand } from '../commands/run.ts';
import type { AnyCommand } from './ports/command.ts';
import { type RegisteredWorkflow, registered } from './services/workflows/types.ts';
import { deployWorkflow } from './workflows/deploy.ts';
import { promoteCommand, promoteWorkflow } from './workflows/promote.ts';
import { releaseWorkflow } from './workflows/release.ts';
import { rollbackWorkflow } from './workflows/rollback.ts';
import { taskWorkflow } from './workflows/task.ts';

/**
 * The composition of what the bot offers: the plain commands (commands/index.ts) and every workflow
 * with the command that starts it. Neither commands/ nor src/workflows/ imports the other; this
 * file imports both (test/unit/import-directions.test.ts).
 */

/** A command that starts a workflow, with the workflow it starts: registered together, in one line. */
export interface WorkflowEntry {
  command: AnyCommand;
  workflow: RegisteredWorkflow;
}

/**
 * Every workflow the engine runs, with its command, in the order help lists them. Adding one = its
 * file in src/workflows/ (the workflow, and its command unless it has one in commands/), one line
 * below, and its test (docs/ARCHITECTURE-NOTES.md, "Adding things").
 */
export const workflowCatalog: WorkflowEntry[] = [
  { command: deployCommand, workflow: registered(deployWorkflow) },
  { command: rollbackCommand, workflow: registered(rollbackWorkflow) },
  { command: releaseCommand, workflow: registered(releaseWorkflow) },
  { command: runCommand, workflow: registered(taskWorkflow) },
  { command: promoteCommand, workflow: registered(promoteWorkflow) },
];

/** Every sub-command of /autorisen, in the order help lists them; help last. */
export const allCommands: AnyCommand[] = [...commands, ...workflowCatalog.map((w) => w.command), help];
