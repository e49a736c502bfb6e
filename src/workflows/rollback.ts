import { releasedOn } from '../services/deploys/run-history.ts';
import type { Step, WorkflowDef } from '../services/workflows/types.ts';
import { type DeployRunInput, deployFacts, deployHooks, deployOutcome, describeChange } from './deploy-hooks.ts';
import { type DeployRequest, deployInput } from './deploy.ts';
import { recordOnGitHub } from './steps/github-record.ts';
import { rollbackTo } from './steps/rollback.ts';
import { verify } from './steps/verify.ts';

/**
 * `/autorisen rollback <env> [version]` on the engine: Heroku rollback (read back when its answer
 * is unknown), then health and contract probes. However it ends, the environment stays frozen
 * (a manual lock saying why) until someone runs `/autorisen unlock`: a rollback means something is wrong.
 */
export const rollbackWorkflow = (): WorkflowDef<DeployRunInput, DeployRequest> => ({
  name: 'rollback',
  prepare: deployInput,
  command: 'rollback',
  env: (i) => i.env,
  locks: (i) => [i.env],
  title: (i) => `Roll back ${i.env} to v${i.targetVersion ?? '?'}`,
  facts: deployFacts,
  outcome: deployOutcome,
  // Frozen once Heroku made the rollback release; a rollback that never happened leaves nothing to guard.
  // Who rolled back is the freeze's holder (its own column, shown with a live mention); the reason stays plain
  // text, escaped wherever it is shown like a reason someone typed.
  freezeReason: (i, run) =>
    releasedOn(run, i.env) === null
      ? null
      : `rolled back to v${i.targetVersion ?? '?'}${run.state === 'done' ? '' : ` (${run.state === 'failed' ? 'it stopped' : run.state})`}. Unlock once the cause is fixed`,
  steps: (i): Step[] => [
    recordOnGitHub(i.env, i.sha, describeChange(i)),
    rollbackTo(i.env, {
      targetReleaseId: i.targetReleaseId ?? '',
      targetVersion: i.targetVersion ?? 0,
      previousVersion: i.previousVersion ?? 0,
      ...(i.flag?.nowKnown ? { flagBefore: i.flag.now } : {}),
    }),
    verify(i.env, ['retry', 'abandon']),
  ],
  ...deployHooks,
});
