import type { WorkflowRun } from '../../ports/stores/workflows.ts';

export interface NewRunFields {
  id: string;
  workflow: string;
  env: WorkflowRun['env'];
  input: unknown;
  requesterId: string;
  lockToken: string | null;
  correlationId: string;
  now: number;
}

/** A run at its first step, nothing posted yet, version 0 (the compare-and-set starts from here). */
export function newRun(f: NewRunFields): WorkflowRun {
  return {
    id: f.id,
    workflow: f.workflow,
    env: f.env,
    input: f.input,
    state: 'running',
    stepIndex: 0,
    data: {},
    scratch: {},
    waitingFor: null,
    wakeAt: null,
    error: null,
    offers: [],
    requesterId: f.requesterId,
    statusChannel: null,
    statusTs: null,
    lockToken: f.lockToken,
    correlationId: f.correlationId,
    version: 0,
    createdAt: f.now,
    updatedAt: f.now,
    finishedAt: null,
  };
}
