import type { Plan } from '../core/command.ts';
import type { Step, StepContext, StepState, WorkflowDef, WorkflowSettings } from '../services/workflows/types.ts';
import { approvalGate, type BreakGlassPass } from './steps/approval.ts';
import { bake } from './steps/bake.ts';
import { ciGate, type MigrationsOutput, migrationsGate, type OpenapiOutput, openapiGate } from './steps/gates.ts';
import { backupOf, type BuiltRelease, buildOn } from './steps/heroku-steps.ts';
import { promote } from './steps/promote.ts';
import { missingTask, runTask } from './steps/task.ts';
import { type VerifyOutput, verify } from './steps/verify.ts';

/** What `/autorisen release` starts: the commit (resolved when planned) and whether destructive migrations may pass. */
export interface ReleaseRequest {
  ref: string;
  sha: string;
  allowDestructive: boolean;
  /** An admin's break-glass (issue 23 §2): the production gate asks nobody; backup, gates and guard stay. */
  breakGlass?: BreakGlassPass;
}

/** The request with the settings it runs under (fixed when it starts, so a restart runs the same steps). */
export interface ReleaseInput extends ReleaseRequest {
  staging: string;
  production: string;
  stagingBakeMinutes: number;
  productionBakeMinutes: number;
  specPath: string;
  namespace: string;
  /** Names of the tasks run on staging after its verification (config release.tasks). */
  tasks: string[];
  /** A bake minute in ms when not a real minute (the sandbox's compressed clock); absent in older runs. */
  bakeMinuteMs?: number;
}

/** The steps the production gate reads: the gates' answers, staging's build and its verification. */
interface ReleaseEvidence {
  migrations: Step<MigrationsOutput>;
  openapi: Step<OpenapiOutput>;
  staged: Step<BuiltRelease>;
  verified: Step<VerifyOutput>;
}

/** Everything the production approver sees: the gates' answers, staging's verification and bake. */
async function productionPlan(
  ctx: StepContext<object>,
  state: StepState<object>,
  input: ReleaseInput,
  e: ReleaseEvidence,
): Promise<Plan> {
  const sha = input.sha;
  const staged = state.output(e.staged);
  const destructive = state.output(e.migrations)?.destructive ?? [];
  const added = state.output(e.migrations)?.added ?? [];
  const breaking = state.output(e.openapi)?.breaking ?? [];
  const probes = state.output(e.verified)?.probes ?? [];
  // The staging release must still be the one verified: that is what will be promoted.
  const current = (await ctx.heroku.listReleases(ctx.env(input.staging).herokuApp, 1))[0];
  return {
    title: `Release \`${sha.slice(0, 7)}\` to ${input.production}`,
    env: input.production,
    lines: [
      `Commit: \`${sha.slice(0, 7)}\` (${input.ref}); CI green`,
      `Migrations: ${added.length} added${destructive.length ? `, DESTRUCTIVE: ${destructive.join(' · ')}` : ', all additive'}`,
      `OpenAPI vs ${input.production}: ${breaking.length ? `breaking under the namespace: ${breaking.join(' · ')}` : 'no breaking change'}`,
      `${input.staging} runs v${staged?.version} (slug ${staged?.slugId}); probes: ${probes.map((p) => `${p.name} ${p.status}`).join(', ') || 'none configured'}`,
      `${input.staging} stayed quiet for ${input.stagingBakeMinutes} min`,
      `Then: backup of ${input.production}, promotion of that slug, verify, ${input.productionBakeMinutes} min bake`,
    ],
    warnings: [
      ...(destructive.length
        ? ['Destructive migrations were allowed with --allow-destructive; an admin must approve.']
        : []),
      ...(breaking.length ? [`${breaking.length} breaking change(s) under ${input.namespace}.`] : []),
    ],
    data: null,
    fingerprint: `${sha}:${current?.id ?? 'none'}:${staged?.releaseId}`,
  };
}

/** The release runbook (issue 11) in one workflow: gates → staging → bake → approval → production → bake. */
export const releaseWorkflow = (settings: WorkflowSettings): WorkflowDef<ReleaseInput, ReleaseRequest> => ({
  name: 'release',
  prepare: (r) => {
    const c = settings.release;
    return {
      ref: r.ref,
      sha: r.sha,
      allowDestructive: r.allowDestructive,
      staging: c.staging,
      production: c.production,
      stagingBakeMinutes: c.stagingBakeMinutes,
      productionBakeMinutes: c.productionBakeMinutes,
      specPath: c.specPath,
      namespace: settings.namespace,
      tasks: c.tasks.filter((t) => settings.tasks[t] !== undefined),
      ...(c.bakeMinuteMs ? { bakeMinuteMs: c.bakeMinuteMs } : {}),
      ...(r.breakGlass ? { breakGlass: r.breakGlass } : {}),
    };
  },
  command: 'release',
  env: (i) => i.production,
  locks: (i) => [i.staging, i.production],
  title: (i) => `Release ${i.ref === i.sha ? i.sha.slice(0, 7) : `${i.ref} (${i.sha.slice(0, 7)})`} to ${i.production}`,
  steps: (i): Step[] => {
    const e: ReleaseEvidence = {
      migrations: migrationsGate(i.production, i.sha, i.allowDestructive),
      openapi: openapiGate(i.production, i.sha, i.specPath, i.namespace),
      staged: buildOn(i.staging, i.sha),
      verified: verify(i.staging, ['rollback', 'retry', 'abandon']),
    };
    // Allow-listed tasks on staging (backfills and their checks), in the order release.tasks names them.
    // One gone from the config since the run started keeps its place (a restart runs the same steps) and stops there.
    const tasks = i.tasks.map((name) => {
      const task = settings.tasks[name];
      return task ? runTask(i.staging, task) : missingTask(name, i.staging);
    });
    return [
      ciGate(i.production, i.sha),
      e.migrations,
      e.openapi,
      e.staged,
      e.verified,
      ...tasks,
      bake(i.staging, i.stagingBakeMinutes, false, i.bakeMinuteMs),
      approvalGate(
        'approve-production',
        `Approval for ${i.production} (a second operator)`,
        (s) => ((s.output(e.migrations)?.destructive.length ?? 0) > 0 ? 'admin' : 'operator'),
        (ctx, s) => productionPlan(ctx, s, i, e),
        i.breakGlass,
      ),
      backupOf(i.production),
      promote(i.staging, i.production, e.staged, i.sha),
      verify(i.production, ['rollback', 'flag_off', 'retry']),
      bake(i.production, i.productionBakeMinutes, true, i.bakeMinuteMs),
    ];
  },
});
