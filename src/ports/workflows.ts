// The interface lives in core/command.ts (CommandContext refers to it; a separate file would be a cycle).
export type { WorkflowPort } from '../core/command.ts';
