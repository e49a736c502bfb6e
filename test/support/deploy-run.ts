import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { newRun } from '../../src/services/workflows/new-run.ts';

/**
 * A deploy workflow row as the engine leaves it, for tests that need one in the store without
 * running it (Home, the drain's before/after): the input a deploy command gives, and the build
 * step's `{ env, version }` once it released.
 */
export function deployRun(o: {
  id: string;
  env: string;
  ref?: string | null;
  sha?: string | null;
  previousVersion?: number | null;
  requesterId: string;
  state: WorkflowRun['state'];
  stepIndex?: number;
  /** The release the build made (done runs). */
  version?: number | null;
  statusChannel?: string | null;
  statusTs?: string | null;
  at: number;
}): WorkflowRun {
  const run = newRun({
    id: o.id,
    workflow: 'deploy',
    env: o.env,
    input: {
      kind: 'deploy',
      env: o.env,
      ref: o.ref ?? null,
      sha: o.sha ?? null,
      previousVersion: o.previousVersion ?? null,
      targetReleaseId: null,
      targetVersion: null,
      backup: false,
      approvalId: null,
      approverId: null,
    },
    requesterId: o.requesterId,
    lockToken: null,
    correlationId: `c-${o.id}`,
    now: o.at,
  });
  const final = o.state === 'done' || o.state === 'faulty' || o.state === 'abandoned';
  return {
    ...run,
    state: o.state,
    stepIndex: o.stepIndex ?? (o.state === 'done' ? 3 : 1),
    data: o.version ? { [`build-${o.env}`]: { env: o.env, version: o.version } } : {},
    statusChannel: o.statusChannel ?? null,
    statusTs: o.statusTs ?? null,
    finishedAt: final ? o.at : null,
  };
}
