import { planDataOf } from '../services/deploys/plan.ts';
import type { Step, WorkflowDef } from '../services/workflows/types.ts';
import { type DeployRunInput, deployFacts, deployHooks, deployOutcome, describeChange } from './deploy-hooks.ts';
import { recordOnGitHub } from './steps/github-record.ts';
import { backupOf, buildOn } from './steps/heroku-steps.ts';
import { verify } from './steps/verify.ts';

/** What `/autorisen deploy` hands the engine: the approved plan and the approval it executes. */
export interface DeployRequest {
  plan: unknown;
  approvalId: string | null;
  approverId: string | null;
}

/** Fold the plan (checked back from JSON) and the approval into the run's persisted input. */
export function deployInput(r: DeployRequest): DeployRunInput {
  const data = planDataOf(r.plan);
  return { ...data, approvalId: r.approvalId ?? null, approverId: r.approverId ?? null };
}

/**
 * `/autorisen deploy <env> [ref]` on the engine: GitHub deployment, backup (when the environment
 * takes one), Heroku build of the commit, then health and contract probes. A stop offers Roll back.
 */
export const deployWorkflow = (): WorkflowDef<DeployRunInput, DeployRequest> => ({
  name: 'deploy',
  prepare: deployInput,
  command: 'deploy',
  env: (i) => i.env,
  locks: (i) => [i.env],
  title: (i) =>
    `Deploy ${i.sha?.slice(0, 7) ?? '?'}${i.ref && i.sha && !i.sha.startsWith(i.ref) ? ` (${i.ref})` : ''} to ${i.env}`,
  facts: deployFacts,
  outcome: deployOutcome,
  steps: (i): Step[] => [
    recordOnGitHub(i.env, i.sha, describeChange(i)),
    ...(i.backup ? [backupOf(i.env)] : []),
    buildOn(i.env, i.sha, ['rollback', 'retry', 'abandon']),
    verify(i.env, ['rollback', 'retry', 'abandon']),
  ],
  ...deployHooks,
});
