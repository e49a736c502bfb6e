import type { WorkflowDef, WorkflowSettings } from '../services/workflow-types.ts';
import { releaseWorkflow } from './release.ts';
import { taskWorkflow } from './task.ts';

/**
 * Every workflow the engine runs, explicitly. Adding one = its file here in src/workflows/, its
 * command in commands/ (listed in commands/index.ts), one line below, and its test.
 */
export const workflowCatalog: ((settings: WorkflowSettings) => WorkflowDef)[] = [
  releaseWorkflow as (settings: WorkflowSettings) => WorkflowDef,
  taskWorkflow as (settings: WorkflowSettings) => WorkflowDef,
];
