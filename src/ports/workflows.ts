// The interface lives in ./command.ts (CommandContext refers to it; a separate file would be a cycle).
export type { WorkflowPort } from './command.ts';
