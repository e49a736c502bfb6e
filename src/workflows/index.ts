import { deployCommand } from '../../commands/deploy.ts';
import { releaseCommand } from '../../commands/release.ts';
import { rollbackCommand } from '../../commands/rollback.ts';
import { runCommand } from '../../commands/run.ts';
import type { AnyCommand } from '../core/registry.ts';
import type { WorkflowDef, WorkflowSettings } from '../services/workflow-types.ts';
import { deployWorkflow } from './deploy.ts';
import { releaseWorkflow } from './release.ts';
import { rollbackWorkflow } from './rollback.ts';
import { taskWorkflow } from './task.ts';

/** A command that starts a workflow, with the workflow it starts: registered together, in one line. */
export interface WorkflowEntry {
  command: AnyCommand;
  workflow: (settings: WorkflowSettings) => WorkflowDef;
}

const entry = <I>(command: AnyCommand, workflow: (s: WorkflowSettings) => WorkflowDef<I>): WorkflowEntry => ({
  command,
  workflow: workflow as (s: WorkflowSettings) => WorkflowDef,
});

/**
 * Every workflow the engine runs, with its command, in the order help lists them. Adding one = its
 * file here in src/workflows/, its command in commands/, one line below, and its test
 * (docs/ARCHITECTURE-NOTES.md, "Adding a workflow"). commands/index.ts takes the commands from here.
 */
export const workflowCatalog: WorkflowEntry[] = [
  entry(deployCommand, deployWorkflow),
  entry(rollbackCommand, rollbackWorkflow),
  entry(releaseCommand, releaseWorkflow),
  entry(runCommand, taskWorkflow),
];
