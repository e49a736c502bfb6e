import { done, failed, type StepRef } from '../../core/workflow.ts';
import type { Step, StepContext } from '../../services/workflows/types.ts';
import { type BuildScratch, buildOn } from './heroku-steps.ts';
import { pollUntil, type Released, type Starting } from './context.ts';

const PROMOTION_MS = 10 * 60_000;

/** Whether both apps share a Heroku pipeline, with their ids (what a promotion needs). */
export async function sharedPipeline(
  ctx: StepContext<object>,
  from: string,
  to: string,
): Promise<{ pipelineId: string; sourceAppId: string; targetAppId: string } | null> {
  if (!ctx.heroku.pipelineCoupling) return null;
  const [a, b] = await Promise.all([
    ctx.heroku.pipelineCoupling(ctx.env(from).herokuApp),
    ctx.heroku.pipelineCoupling(ctx.env(to).herokuApp),
  ]);
  if (!a || !b || a.pipelineId !== b.pipelineId) return null;
  return { pipelineId: a.pipelineId, sourceAppId: a.appId, targetAppId: b.appId };
}

/** The release a promotion takes: the step that put it on the source environment, or pinned it there. */
export interface PromotionSource {
  releaseId: string;
  slugId: string | null;
  /** Its commit, when known: a build on the target uses it when the apps share no pipeline. */
  sha: string | null;
}

/** What the promotion put on the target: the release, how (a pipeline promotion or a build), and its commit. */
export interface PromoteOutput extends Released {
  mode: 'promotion' | 'build';
  promotionId?: string;
  sha: string | null;
}
/** The promotion's output, read by other runs (which commit a promoted release carries). */
export const PROMOTE_STEP: StepRef<PromoteOutput> = { name: 'promote' };

interface PromoteScratch extends BuildScratch, Starting {
  promotionId: string;
  mode: 'build';
}

/**
 * Promote the exact release `source` left on `from` (its slug) to `to` with a pipeline promotion;
 * when the apps share no pipeline, build the same commit on `to` instead (the plan says so). `sha`
 * is the commit when the workflow knows it up front (runs older than `source.sha` carry it only there).
 */
export function promote(
  from: string,
  to: string,
  source: StepRef<PromotionSource>,
  sha: string | null = null,
): Step<PromoteOutput, PromoteScratch> {
  return {
    name: PROMOTE_STEP.name,
    title: `Promote ${from}'s build to ${to}`,
    offerEnv: to,
    async preview(ctx) {
      return (await sharedPipeline(ctx, from, to))
        ? `a Heroku pipeline promotion of the exact slug ${from} runs`
        : `${from} and ${to} share no Heroku pipeline: a build of the same commit on ${to} (not the same slug)`;
    },
    async run(ctx, state) {
      const staged = state.output(source);
      if (!staged) return failed(`no ${from} release recorded by this run to promote.`, ['abandon']);
      const sourceReleaseId = staged.releaseId;
      const commit = staged.sha ?? sha;
      let promotionId = state.scratch.promotionId;
      if (!promotionId && state.scratch.mode !== 'build') {
        const pipe = await sharedPipeline(ctx, from, to);
        if (!pipe || !ctx.heroku.promote) {
          await ctx.save({ mode: 'build' });
          await ctx.say(
            `:information_source: ${from} and ${to} share no Heroku pipeline: building the same commit on ${to}.`,
          );
        } else {
          if (state.resumed && state.scratch.starting)
            return failed(
              `the bot restarted while starting the promotion; check \`/autorisen releases ${to}\`, then Retry.`,
            );
          await ctx.save({ starting: true });
          const p = await ctx.heroku.promote({ ...pipe, sourceReleaseId, targetAppIds: [pipe.targetAppId] });
          promotionId = p.id;
          await ctx.save({ promotionId });
          await ctx.say(
            `:arrow_double_up: Pipeline promotion ${p.id} of ${from}'s slug ${staged.slugId ?? '?'} to ${to} started.`,
          );
        }
      }
      if (!promotionId) {
        const r = await buildOn(to, commit).run(ctx, state);
        return r.kind === 'done' ? done({ ...r.data, mode: 'build' }, r.note) : r;
      }
      const id = promotionId;
      const promotionTargets = ctx.heroku.promotionTargets;
      if (!promotionTargets) return failed('this connection to Heroku cannot follow a promotion.', ['abandon']);
      const target = await pollUntil(ctx, ctx.clock.now() + PROMOTION_MS, async () => {
        const [t] = await promotionTargets(id);
        return t && t.status !== 'pending' ? t : null;
      });
      if (!target) return failed(`promotion ${id} was still pending after 10 min.`);
      if (target.status !== 'succeeded' || !target.releaseId)
        return failed(
          `promotion ${id} to ${to} failed: ${target.error ?? target.status}. ${to} still runs what it ran.`,
        );
      const release = await ctx.heroku.getRelease(ctx.env(to).herokuApp, target.releaseId);
      return done(
        {
          env: to,
          mode: 'promotion',
          promotionId: id,
          releaseId: release.id,
          version: release.version,
          slugId: release.slugId,
          sha: commit,
        },
        `:rocket: ${to} runs v${release.version} with ${from}'s slug ${release.slugId ?? '?'}.`,
      );
    },
  };
}
