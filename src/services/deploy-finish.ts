import type { EnvironmentConfig } from '../config.ts';
import type { Outcome } from '../core/command.ts';
import type { DeployEffect, DeployStep } from '../core/deploys.ts';
import type { Clock, Ids } from '../ports/clock.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';
import type { Store } from '../ports/store.ts';
import type { DeployRecord } from '../ports/stores/deploys.ts';
import { describeRun, finalMessage, rollbackButton, threadLine } from './deploy-messages.ts';
import { FLAG_VAR } from './deploy-plan.ts';

export interface FinishDeps {
  heroku: HerokuPort;
  github: GitHubPort;
  store: Store;
  clock: Clock;
  ids: Ids;
}

/**
 * The last step, run once by whoever won the final compare-and-set: GitHub status, release history,
 * the lock (released, or turned into a manual freeze after a rollback), and the messages.
 */
export async function finishRun(
  deps: FinishDeps,
  rec: DeployRecord,
  env: EnvironmentConfig,
  progress: ChatProgress,
  effect: Extract<DeployEffect, { type: 'finish' }>,
  step: DeployStep | undefined,
  log: Logger,
): Promise<Outcome> {
  const fresh = (await deps.store.deploys.get(rec.id)) ?? rec;
  const full: DeployRecord = { ...fresh, ...rec, outputTail: fresh.outputTail, githubDeploymentId: fresh.githubDeploymentId, backupName: rec.backupName ?? fresh.backupName };
  await githubStatus(deps, full, env, effect.ok, log);
  if (effect.ok) await recordRelease(deps, full, env, log);
  const keptLocked = await settleLock(deps, full, env, effect.keepLocked, log);
  await settleApproval(deps, full, effect.ok, log);
  const message = finalMessage(full, env, effect.ok, { ...(step ? { step } : {}), offerRollback: effect.offerRollback, keptLocked });
  await progress.update(message);
  if (effect.offerRollback) {
    // The button also goes in the thread: an approval message rewritten afterwards keeps the way back visible.
    await progress.thread({ text: `Roll back ${env.name} to the release before the current one?`, buttons: [rollbackButton(env)] });
  } else {
    await progress.thread(threadLine(effect.ok ? `:white_check_mark: Finished: ${env.name} runs v${full.releaseVersion}.` : `:x: Stopped: ${full.error ?? 'failed'}`));
  }
  return {
    ok: effect.ok,
    message,
    summary: effect.ok ? `${describeRun(full)} on ${env.name}: v${full.releaseVersion}` : `${describeRun(full)} on ${env.name} failed: ${full.error ?? ''}`,
  };
}

async function githubStatus(deps: FinishDeps, rec: DeployRecord, env: EnvironmentConfig, ok: boolean, log: Logger): Promise<void> {
  if (rec.githubDeploymentId === null) return;
  try {
    await deps.github.createDeploymentStatus({ owner: env.github.owner, repo: env.github.repo }, rec.githubDeploymentId, {
      state: ok ? 'success' : 'failure',
      description: ok ? `v${rec.releaseVersion} is live` : (rec.error ?? 'failed'),
      environmentUrl: env.baseUrl,
    });
  } catch (err) {
    log.warn({ err }, 'could not record the GitHub deployment status');
  }
}

/** Add the new release to the flag history, with the flag's value in it (a rollback may have changed it). */
async function recordRelease(deps: FinishDeps, rec: DeployRecord, env: EnvironmentConfig, log: Logger): Promise<void> {
  const history = deps.store.releases;
  if (rec.releaseVersion === null) return;
  try {
    const [release, vars] = await Promise.all([deps.heroku.getRelease(rec.app, rec.releaseVersion), deps.heroku.getConfigVars(rec.app)]);
    await history.record({
      env: env.name, app: rec.app, version: rec.releaseVersion, releaseId: release.id, flagValue: vars[FLAG_VAR] ?? null, flagKnown: true,
      source: rec.kind, actor: rec.requesterId, description: release.description, at: deps.clock.now(),
    });
  } catch (err) {
    log.warn({ err }, 'could not record the release in the flag history');
  }
}

/**
 * Close the approval this run executed. Normally the approval service does it when execute()
 * returns; after a restart nobody is waiting for execute(), so the run settles it itself. The
 * compare-and-set makes the second of the two a no-op.
 */
async function settleApproval(deps: FinishDeps, rec: DeployRecord, ok: boolean, log: Logger): Promise<void> {
  if (!rec.approvalId) return;
  const outcome = ok ? `${describeRun(rec)} finished: v${rec.releaseVersion} is live.` : `${describeRun(rec)} failed: ${rec.error ?? 'see the thread'}`;
  try {
    await deps.store.approvals.transition(rec.approvalId, 'executing', ok ? 'succeeded' : 'failed', { outcome }, {
      at: deps.clock.now(), correlationId: rec.correlationId, actorId: rec.approverId ?? rec.requesterId, channelId: rec.statusChannel, command: rec.kind,
      args: `approval ${rec.approvalId}`, action: 'execute', result: ok ? 'ok' : 'failed', detail: outcome, durationMs: null, env: rec.env,
    });
  } catch (err) {
    log.warn({ err }, 'could not settle the approval');
  }
}

/** Release the run's lock, or after a rollback replace it with a manual lock that says why. True if left locked. */
async function settleLock(deps: FinishDeps, rec: DeployRecord, env: EnvironmentConfig, keep: boolean, log: Logger): Promise<boolean> {
  try {
    if (rec.lockToken) await deps.store.locks.release(env.name, rec.lockToken);
    if (!keep) return false;
    const reason = `rolled back to v${rec.targetVersion} (now v${rec.releaseVersion ?? '?'}) by <@${rec.requesterId}>${rec.error ? `; health check failed` : ''}. Unlock once the cause is fixed`;
    const r = await deps.store.locks.acquire({ env: env.name, holderId: rec.requesterId, kind: 'manual', reason, token: deps.ids.next(), acquiredAt: deps.clock.now(), expiresAt: null });
    return r.ok || r.heldBy !== undefined;
  } catch (err) {
    log.error({ err }, 'could not settle the environment lock');
    return keep;
  }
}
