import type { EnvironmentConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';
import type { DeployRecord } from '../ports/stores/deploys.ts';
import { describeRun, threadLine } from './deploy-messages.ts';
import type { DeployRunnerDeps } from './deploy-runner-types.ts';

/** Record the work on GitHub as a Deployment; best effort, the thread says when it could not. */
export async function startGitHubDeployment(
  deps: Pick<DeployRunnerDeps, 'github' | 'store'>,
  rec: DeployRecord,
  env: EnvironmentConfig,
  progress: ChatProgress,
  log: Logger,
): Promise<void> {
  if (!rec.sha) return;
  const repo = { owner: env.github.owner, repo: env.github.repo };
  try {
    const { id } = await deps.github.createDeployment(repo, {
      ref: rec.sha,
      environment: env.name,
      description: `${describeRun(rec)} by autorisen-bot`,
      production: env.production,
    });
    rec.githubDeploymentId = id;
    await deps.store.deploys.update(rec.id, { githubDeploymentId: id });
    await deps.github.createDeploymentStatus(repo, id, {
      state: 'in_progress',
      description: `${describeRun(rec)} started`,
      environmentUrl: env.baseUrl,
    });
  } catch (err) {
    log.warn({ err }, 'could not record the GitHub deployment');
    await progress.thread(
      threadLine(
        `:warning: Could not record this on GitHub (${err instanceof AppError ? err.userMessage : 'error'}); carrying on.`,
      ),
    );
  }
}
