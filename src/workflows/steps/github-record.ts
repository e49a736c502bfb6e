import type { EnvironmentConfig } from '../../config.ts';
import { done, outputOf, type StepRef } from '../../core/workflow.ts';
import { toAppError } from '../../errors.ts';
import type { HookContext, Step } from '../../services/workflows/types.ts';
import { repoOf, type Starting } from './context.ts';

/** The GitHub deployment the run records its outcome on (null: none was made). */
export interface GitHubOutput {
  deploymentId: number | null;
}
/** The step's output, read by the stop hook (the deployment to mark finished). */
export const GITHUB_STEP: StepRef<GitHubOutput> = { name: 'github' };

interface GitHubScratch extends Starting {
  deploymentId: number;
}

/**
 * Record the run on GitHub in a Deployment of its commit, marked in progress. Best effort: GitHub
 * being down never stops a deploy, the thread just says so. The id is saved before anything else
 * uses it; after a restart in the middle the step does not create a second deployment.
 */
export function recordOnGitHub(envName: string, sha: string | null, what: string): Step<GitHubOutput, GitHubScratch> {
  return {
    name: GITHUB_STEP.name,
    title: 'Record the deployment on GitHub',
    async run(ctx, state) {
      const saved = state.scratch.deploymentId;
      if (saved !== undefined) return done({ deploymentId: saved });
      if (!sha) return done<GitHubOutput>({ deploymentId: null });
      if (state.resumed && state.scratch.starting)
        return done(
          { deploymentId: null },
          ':warning: The bot restarted while recording this on GitHub; GitHub may show one deployment left in progress.',
        );
      const env = ctx.env(envName);
      await ctx.save({ starting: true });
      try {
        const { id } = await ctx.github.createDeployment(repoOf(env), {
          ref: sha,
          environment: env.name,
          description: `${what} by autorisen-bot`,
          production: env.production,
        });
        await ctx.save({ deploymentId: id });
        await ctx.github.createDeploymentStatus(repoOf(env), id, {
          state: 'in_progress',
          description: `${what} started`,
          environmentUrl: env.baseUrl,
        });
        return done({ deploymentId: id });
      } catch (err) {
        ctx.log.warn({ err }, 'could not record the GitHub deployment');
        const id = (await ctx.store.workflows.get(ctx.runId))?.scratch.deploymentId;
        return done(
          { deploymentId: typeof id === 'number' ? id : null },
          `:warning: Could not record this on GitHub (${toAppError(err).userMessage}); carrying on.`,
        );
      }
    },
  };
}

/** End the GitHub deployment with the run's outcome; a thread line when GitHub would not take it. */
export async function finishOnGitHub(
  ctx: HookContext,
  env: EnvironmentConfig,
  state: 'success' | 'failure' | 'error' | 'inactive',
  description: string,
): Promise<void> {
  const id = outputOf(ctx.run.data, GITHUB_STEP)?.deploymentId;
  if (id === undefined || id === null) return;
  try {
    await ctx.github.createDeploymentStatus(repoOf(env), id, {
      state,
      description: description.slice(0, 140),
      environmentUrl: env.baseUrl,
    });
  } catch (err) {
    ctx.log.warn({ err }, 'could not record the GitHub deployment status');
    await ctx.say(
      `:warning: GitHub deployment ${id} could not be marked ${state}, so GitHub still shows it in progress: ${toAppError(err).userMessage}`,
    );
  }
}
