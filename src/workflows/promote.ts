import type { ActionCommand, CommandContext, Plan } from '../ports/command.ts';
import { done, failed } from '../core/workflow.ts';
import { type GateContinuation, gated, withBreakGlass, workflowsOf } from '../ports/workflow-command.ts';
import { AppError } from '../errors.ts';
import type { Step, StepContext, StepState, WorkflowDef, WorkflowSettings } from '../services/workflows/types.ts';
import { approvalGate, type BreakGlassPass } from './steps/approval.ts';
import { bake } from './steps/bake.ts';
import { runningSha } from '../services/deploys/release-commit.ts';
import { backupOf } from './steps/heroku-steps.ts';
import { type PromotionSource, promote } from './steps/promote.ts';
import { verify } from './steps/verify.ts';

/** What `/autorisen promote` saw when it was planned: staging's running release, which is what gets promoted. */
export interface PromoteRequest {
  releaseId: string;
  version: number;
  /** An admin's break-glass (issue 23 §2): the production gate asks nobody; backup, verify and bake stay. */
  breakGlass?: BreakGlassPass;
}

/** The request with the settings it runs under (fixed when it starts, so a restart runs the same steps). */
export interface PromoteInput extends PromoteRequest {
  staging: string;
  production: string;
  productionBakeMinutes: number;
  bakeMinuteMs?: number;
}

/** Staging's pinned release (no `env`: the run puts nothing on staging, so run history records nothing there). */
interface Pinned extends PromotionSource {
  version: number;
}

/**
 * Pin the release staging runs, and check it is still the one planned: a deploy to staging between
 * the plan and the run would otherwise promote something nobody looked at. Reads only.
 */
function pinStaging(i: PromoteInput): Step<Pinned> {
  return {
    name: `pin-${i.staging}`,
    title: `Pin the release ${i.staging} runs (v${i.version})`,
    readOnly: true,
    async run(ctx) {
      const releases = await ctx.heroku.listReleases(ctx.env(i.staging).herokuApp, 10);
      const current = releases.find((r) => r.current) ?? releases[0];
      if (current?.id !== i.releaseId)
        return failed(
          `${i.staging} runs v${current?.version ?? '?'} now, not the planned v${i.version}; nothing was promoted. Run \`/autorisen promote\` again to see the new plan.`,
          ['abandon'],
        );
      const sha = await runningSha(ctx, ctx.env(i.staging)).catch(() => null);
      return done(
        { releaseId: current.id, version: current.version, slugId: current.slugId, sha },
        `:pushpin: ${i.staging} runs v${current.version} (slug ${current.slugId ?? '?'}${sha ? `, commit \`${sha.slice(0, 7)}\`` : ''}).`,
      );
    },
  };
}

/** What the production approver sees: the pinned release, and what follows. */
async function productionPlan(ctx: StepContext<object>, s: StepState<object>, i: PromoteInput, pin: Step<Pinned>) {
  const pinned = s.output(pin);
  const [current] = await ctx.heroku.listReleases(ctx.env(i.production).herokuApp, 1);
  const plan: Plan = {
    title: `Promote ${i.staging} v${i.version} to ${i.production}`,
    env: i.production,
    lines: [
      `${i.staging} runs v${i.version} (slug ${pinned?.slugId ?? '?'}${pinned?.sha ? `, commit \`${pinned.sha.slice(0, 7)}\`` : ''})`,
      `${i.production} runs v${current?.version ?? '?'}`,
      `Then: backup of ${i.production}, promotion of that slug, verify, ${i.productionBakeMinutes} min bake`,
    ],
    warnings: [],
    data: null,
    fingerprint: `${i.releaseId}:${current?.id ?? 'none'}`,
  };
  return plan;
}

/** `/autorisen promote`: staging's running slug to production, with the release's gate, backup, promotion, verify and bake. */
export const promoteWorkflow = (settings: WorkflowSettings): WorkflowDef<PromoteInput, PromoteRequest> => ({
  name: 'promote',
  prepare: (r) => ({
    releaseId: r.releaseId,
    version: r.version,
    staging: settings.release.staging,
    production: settings.release.production,
    ...(r.breakGlass ? { breakGlass: r.breakGlass } : {}),
    productionBakeMinutes: settings.release.productionBakeMinutes,
    ...(settings.release.bakeMinuteMs ? { bakeMinuteMs: settings.release.bakeMinuteMs } : {}),
  }),
  command: 'promote',
  env: (i) => i.production,
  locks: (i) => [i.staging, i.production],
  title: (i) => `Promote ${i.staging} v${i.version} to ${i.production}`,
  steps: (i): Step[] => {
    const pin = pinStaging(i);
    return [
      pin,
      approvalGate(
        'approve-production',
        `Approval for ${i.production} (a second operator)`,
        () => 'operator',
        (ctx, s) => productionPlan(ctx, s, i, pin),
        i.breakGlass,
      ),
      backupOf(i.production),
      promote(i.staging, i.production, pin),
      verify(i.production, ['rollback', 'flag_off', 'retry']),
      bake(i.production, i.productionBakeMinutes, true, i.bakeMinuteMs),
    ];
  },
});

/** Staging's running release, for the plan (the pin step checks it is still the one when the run starts). */
async function stagingRelease(ctx: CommandContext): Promise<{ staging: string; request: PromoteRequest }> {
  const staging = ctx.rollout?.staging ?? ctx.environments.find((e) => !e.production)?.name;
  const env = staging ? ctx.env(staging) : undefined;
  if (!env) throw new AppError('config_invalid', 'No staging environment is configured (config `release.staging`).');
  const releases = await ctx.heroku.listReleases(env.herokuApp, 10);
  const current = releases.find((r) => r.current) ?? releases[0];
  if (!current) throw new AppError('not_found', `${env.name} has no release to promote.`);
  return { staging: env.name, request: { releaseId: current.id, version: current.version } };
}

/** `/autorisen promote [--dry-run]`: the production half of a release, for what staging runs now. */
export const promoteCommand: ActionCommand<GateContinuation> = gated<GateContinuation>({
  kind: 'action',
  name: 'promote',
  queueable: true,
  breakGlass: true,
  summary: "Promote staging's running slug to production: approval, backup, promotion, verify, bake",
  usage: 'promote [--dry-run] [--break-glass --reason "…"]',
  examples: ['promote --dry-run', 'promote'],
  permission: 'operator',
  // The production approval is a gate inside the run, asked for once staging's release is pinned.
  approval: 'never',
  envOf: () => null,
  maxPositionals: 0,
  parse: () => ({ ok: true, input: {} }),
  async plan(_input, ctx) {
    const { staging, request } = await stagingRelease(ctx);
    const lines = await workflowsOf(ctx).preview('promote', request, ctx);
    const production = ctx.rollout?.production ?? ctx.environments.find((e) => e.production)?.name ?? null;
    return {
      title: `Promote ${staging} v${request.version} to ${production ?? 'production'}`,
      lines,
      warnings: [],
      env: production,
      data: request,
      fingerprint: request.releaseId,
    };
  },
  execute: (plan, _input, ctx) => workflowsOf(ctx).start('promote', withBreakGlass(plan.data, ctx), ctx),
});
