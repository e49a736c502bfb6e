import { done, failed } from '../../core/workflow.ts';
import type { Step, StepContext } from '../../services/workflow-types.ts';
import { buildOn } from './heroku-steps.ts';
import { dataOf, pollUntil } from './context.ts';

const PROMOTION_MS = 10 * 60_000;

/** Whether both apps share a Heroku pipeline, with their ids (what a promotion needs). */
export async function sharedPipeline(
  ctx: StepContext,
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

/**
 * Promote the exact release staging runs (its slug) to production with a pipeline promotion; when
 * the apps share no pipeline, build the same commit on production instead (the plan says so).
 */
export function promote(from: string, to: string): Step {
  const fallback = buildOn(to);
  return {
    name: 'promote',
    title: `Promote ${from}'s build to ${to}`,
    offerEnv: to,
    async preview(ctx) {
      return (await sharedPipeline(ctx, from, to))
        ? `a Heroku pipeline promotion of the exact slug ${from} runs`
        : `${from} and ${to} share no Heroku pipeline: a build of the same commit on ${to} (not the same slug)`;
    },
    async run(ctx, state) {
      const staged = dataOf(state, `build-${from}`);
      const sourceReleaseId = staged.releaseId as string | undefined;
      if (!sourceReleaseId) return failed(`no ${from} release recorded by this run to promote.`, ['abandon']);
      let promotionId = state.scratch.promotionId as string | undefined;
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
        const r = await fallback.run(ctx, state);
        return r.kind === 'done' ? done({ ...r.data, mode: 'build' }, r.note) : r;
      }
      const id = promotionId;
      const promotionTargets = ctx.heroku.promotionTargets!;
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
        },
        `:rocket: ${to} runs v${release.version} with ${from}'s slug ${release.slugId ?? '?'}.`,
      );
    },
  };
}
