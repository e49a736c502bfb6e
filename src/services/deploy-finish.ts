import type { EnvironmentConfig } from '../config.ts';
import type { Outcome } from '../core/command.ts';
import type { DeployEffect, DeployStep } from '../core/deploys.ts';
import type { ChatPort } from '../ports/chat.ts';
import type { Clock, Ids } from '../ports/clock.ts';
import type { GitHubPort } from '../ports/github.ts';
import type { HerokuPort } from '../ports/heroku.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';
import type { Store } from '../ports/store.ts';
import type { DeployRecord } from '../ports/stores/deploys.ts';
import { announce, announceChannelFor, outcomeNotice } from './deploy-announce.ts';
import { AppError } from '../errors.ts';
import { describeRun, finalMessage, rollbackButton, threadLine } from './deploy-messages.ts';
import { FLAG_VAR } from './deploy-plan.ts';

export interface FinishDeps {
  heroku: HerokuPort;
  github: GitHubPort;
  store: Store;
  clock: Clock;
  ids: Ids;
  /** For the outcome notice in the deploy channel. */
  chat: () => ChatPort;
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
  const full: DeployRecord = {
    ...fresh,
    ...rec,
    outputTail: fresh.outputTail,
    githubDeploymentId: fresh.githubDeploymentId,
    backupName: rec.backupName ?? fresh.backupName,
  };
  const githubWarning = await githubStatus(deps, full, env, effect.githubState, log);
  if (effect.ok) await recordRelease(deps, full, env, log);
  const keptLocked = await settleLock(deps, full, env, effect.keepLocked, log);
  await settleApproval(deps, full, effect.ok, log);
  const message = finalMessage(full, env, effect.ok, {
    ...(step ? { step } : {}),
    offerRollback: effect.offerRollback,
    keptLocked,
  });
  // The status message may live elsewhere (the request's channel); the deploy channel gets the one-line outcome
  // (before the thread's last line, which marks the run as fully finished).
  const statusChannel = progress.ref?.()?.channel ?? full.statusChannel;
  await announce(
    deps.chat(),
    announceChannelFor(env, statusChannel),
    outcomeNotice(full, env, effect.ok, step, keptLocked),
    log,
  );
  await progress.update(message);
  if (githubWarning) await progress.thread(threadLine(githubWarning));
  if (effect.offerRollback) {
    // The button also goes in the thread: an approval message rewritten afterwards keeps the way back visible.
    await progress.thread({
      text: `Roll back ${env.name} to the release before the current one?`,
      buttons: [rollbackButton(env)],
    });
  } else {
    await progress.thread(
      threadLine(
        effect.ok
          ? `:white_check_mark: Finished: ${env.name} runs v${full.releaseVersion}.`
          : `:x: Stopped: ${full.error ?? 'failed'}`,
      ),
    );
  }
  return {
    ok: effect.ok,
    message,
    summary: effect.ok
      ? `${describeRun(full)} on ${env.name}: v${full.releaseVersion}`
      : `${describeRun(full)} on ${env.name} failed: ${full.error ?? ''}`,
  };
}

/** End the GitHub deployment; a line for the thread when GitHub would not take it (e.g. the token was revoked mid-run). */
async function githubStatus(
  deps: FinishDeps,
  rec: DeployRecord,
  env: EnvironmentConfig,
  state: 'success' | 'failure' | 'error',
  log: Logger,
): Promise<string | null> {
  if (rec.githubDeploymentId === null) return null;
  try {
    await deps.github.createDeploymentStatus(
      { owner: env.github.owner, repo: env.github.repo },
      rec.githubDeploymentId,
      {
        state,
        description: state === 'success' ? `v${rec.releaseVersion} is live` : (rec.error ?? 'failed'),
        environmentUrl: env.baseUrl,
      },
    );
    return null;
  } catch (err) {
    log.warn({ err }, 'could not record the GitHub deployment status');
    const why = err instanceof AppError ? err.userMessage : 'an unexpected error';
    return `:warning: GitHub deployment ${rec.githubDeploymentId} could not be marked ${state}, so GitHub still shows it in progress: ${why}`;
  }
}

/** Add the new release to the flag history, with the flag's value in it (a rollback may have changed it). */
async function recordRelease(deps: FinishDeps, rec: DeployRecord, env: EnvironmentConfig, log: Logger): Promise<void> {
  const history = deps.store.releases;
  if (rec.releaseVersion === null) return;
  try {
    const [release, vars] = await Promise.all([
      deps.heroku.getRelease(rec.app, rec.releaseVersion),
      deps.heroku.getConfigVars(rec.app),
    ]);
    await history.record({
      env: env.name,
      app: rec.app,
      version: rec.releaseVersion,
      releaseId: release.id,
      flagValue: vars[FLAG_VAR] ?? null,
      flagKnown: true,
      source: rec.kind,
      actor: rec.requesterId,
      description: release.description,
      at: deps.clock.now(),
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
  const outcome = ok
    ? `${describeRun(rec)} finished: v${rec.releaseVersion} is live.`
    : `${describeRun(rec)} failed: ${rec.error ?? 'see the thread'}`;
  try {
    await deps.store.approvals.transition(
      rec.approvalId,
      'executing',
      ok ? 'succeeded' : 'failed',
      { outcome },
      {
        at: deps.clock.now(),
        correlationId: rec.correlationId,
        actorId: rec.approverId ?? rec.requesterId,
        channelId: rec.statusChannel,
        command: rec.kind,
        args: `approval ${rec.approvalId}`,
        action: 'execute',
        result: ok ? 'ok' : 'failed',
        detail: outcome,
        durationMs: null,
        env: rec.env,
      },
    );
  } catch (err) {
    log.warn({ err }, 'could not settle the approval');
  }
}

/**
 * Release the run's lock, or after a rollback turn it into a manual freeze that says why. The
 * conversion is one UPDATE keyed on the run's token (LockStore.convert): releasing and then
 * acquiring would leave a gap in which another deploy or flag change could take the environment.
 * True when the environment is left locked.
 */
async function settleLock(
  deps: FinishDeps,
  rec: DeployRecord,
  env: EnvironmentConfig,
  keep: boolean,
  log: Logger,
): Promise<boolean> {
  try {
    if (!keep) {
      if (rec.lockToken) await deps.store.locks.release(env.name, rec.lockToken);
      return false;
    }
    const reason = `rolled back to v${rec.targetVersion} (now v${rec.releaseVersion ?? '?'}) by <@${rec.requesterId}>${rec.error ? `; health check failed` : ''}. Unlock once the cause is fixed`;
    const freeze = { kind: 'manual', reason, holderId: rec.requesterId, expiresAt: null };
    if (rec.lockToken && (await deps.store.locks.convert(env.name, rec.lockToken, freeze))) return true;
    // Our lock is gone (someone ran unlock during the rollback): freeze again if the environment is
    // free; if another holder already has it, it is locked anyway. Acquire is atomic either way.
    const r = await deps.store.locks.acquire({
      env: env.name,
      token: deps.ids.next(),
      acquiredAt: deps.clock.now(),
      ...freeze,
    });
    if (!r.ok)
      log.info(
        { heldBy: r.heldBy.kind },
        'rollback lock was replaced while it ran; the environment stays locked by its new holder',
      );
    return true;
  } catch (err) {
    log.error({ err }, 'could not settle the environment lock');
    return keep;
  }
}
