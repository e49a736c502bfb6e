import type { EnvironmentConfig } from '../config.ts';
import type { CommandContext, Outcome, Plan } from '../core/command.ts';
import { transition, type DeployEffect, type DeployEvent, type DeployStep } from '../core/deploys.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../ports/logger.ts';
import type { ChatProgress } from '../ports/progress.ts';
import type { DeployRecord } from '../ports/stores/deploys.ts';
import { auditEntry } from './audit.ts';
import { announce, announceChannelFor, startNotice } from './deploy-announce.ts';
import { finishRun } from './deploy-finish.ts';
import { describeRun, statusMessage, threadLine } from './deploy-messages.ts';
import { lockedMessage, planData, planDeploy, planRollback } from './deploy-plan.ts';
import {
  backupStep,
  buildStep,
  DEFAULT_TIMINGS,
  DeployStopped,
  failureOf,
  httpProbe,
  rollbackStep,
  verifyStep,
  type DeployTimings,
  type StepDeps,
  type StepRun,
} from './deploy-steps.ts';
import { startGitHubDeployment } from './deploy-github-record.ts';
import type { DeployRunner, DeployRunnerDeps } from './deploy-runner-types.ts';
import { createProgress } from './progress.ts';

/** An automatic deploy lock expires after this, so a bot that never comes back cannot freeze an env forever. */
export const DEPLOY_LOCK_TTL_MS = 2 * 60 * 60_000;
/** How long one instance's claim to resume a deploy keeps others off it. */
const RESUME_CLAIM_MS = 60_000;

// The runner's deps and interface live in deploy-runner-types.ts; re-exported so importers keep working.
export type { DeployRunner, DeployRunnerDeps } from './deploy-runner-types.ts';

/** The deploy/rollback service: plans (reads only) and runs them step by step, persisting each step. */
export function createDeployRunner(deps: DeployRunnerDeps): DeployRunner {
  const timings: DeployTimings = { ...DEFAULT_TIMINGS, ...deps.timings };
  let stopped = false;
  const steps: StepDeps = {
    heroku: deps.heroku,
    github: deps.github,
    deploys: deps.store.deploys,
    clock: deps.clock,
    log: deps.log,
    timings,
    probe: deps.probe ?? httpProbe,
    stopped: () => stopped,
    herokuRemaining: deps.herokuRemaining ?? (() => null),
  };
  const interrupted: Outcome = {
    ok: false,
    interrupted: true,
    summary: 'interrupted by shutdown',
    message: { text: 'The bot is restarting; it will pick this up again and finish it in the same thread.' },
  };
  const envOf = (name: string): EnvironmentConfig => {
    const env = deps.environments.find((e) => e.name === name);
    if (!env)
      throw new AppError(
        'config_invalid',
        `Environment "${name}" is no longer configured; the deploy cannot continue.`,
      );
    return env;
  };

  /** Run one step to its event; null when the process is stopping (the state stays for the next one). */
  async function runStep(
    effect: Exclude<DeployEffect['type'], 'finish'>,
    run: StepRun,
    log: Logger,
  ): Promise<DeployEvent | null> {
    const step: DeployStep =
      effect === 'capture_backup'
        ? 'backup'
        : effect === 'create_build'
          ? 'build'
          : effect === 'rollback_release'
            ? 'rollback'
            : 'verify';
    try {
      if (effect === 'capture_backup') return await backupStep(steps, run);
      if (effect === 'create_build') return await buildStep(steps, run);
      if (effect === 'rollback_release') return await rollbackStep(steps, run);
      return await verifyStep(steps, run);
    } catch (err) {
      if (err instanceof DeployStopped) return null;
      log.warn({ err, deployId: run.rec.id, step }, 'deploy step failed');
      return failureOf(step, err);
    }
  }

  /** Apply an event with compare-and-set; null when another run moved the record first. */
  async function advance(
    rec: DeployRecord,
    event: DeployEvent,
    log: Logger,
  ): Promise<{ rec: DeployRecord; effects: DeployEffect[] } | null> {
    const t = transition(rec, event, deps.clock.now());
    if (!t) return null;
    const audit = auditEntry({
      at: deps.clock.now(),
      correlationId: rec.correlationId,
      actorId: rec.requesterId,
      channelId: rec.statusChannel,
      command: rec.kind,
      args: `${rec.kind} ${rec.env} ${rec.id}`,
      action: `deploy:${t.state}`,
      result: t.state === 'failed' ? 'failed' : 'ok',
      detail: event.type === 'failed' ? event.reason : describeRun(rec),
      env: rec.env,
    });
    const ok = await deps.store.deploys.transition(rec.id, t.from, t.state, t.patch, audit);
    if (!ok) {
      log.info({ deployId: rec.id, from: t.from, to: t.state }, 'deploy step already taken elsewhere');
      return null;
    }
    return { rec: { ...rec, ...t.patch, state: t.state }, effects: t.effects };
  }

  /** Drive the machine from `event` to the end. Each effect runs only after its CAS was won. */
  async function drive(start: DeployRecord, event: DeployEvent, progress: ChatProgress, log: Logger): Promise<Outcome> {
    const env = envOf(start.env);
    let next = await advance(start, event, log);
    let lastFailedStep: DeployStep | undefined = event.type === 'failed' ? event.step : undefined;
    while (next) {
      const { rec, effects } = next;
      const effect = effects[0];
      if (!effect) break;
      if (effect.type === 'finish') return finishRun(deps, rec, env, progress, effect, lastFailedStep, log);
      await progress.update(statusMessage(rec, env));
      // Steps reached by a transition in this process start fresh (`resumed: false`); resumeOne handles the rest.
      const run: StepRun = { rec: (await deps.store.deploys.get(rec.id)) ?? rec, env, progress, resumed: false };
      const ev = await runStep(effect.type, run, log);
      if (ev === null) return interrupted;
      if (ev.type === 'failed') lastFailedStep = ev.step;
      next = await advance(run.rec, ev, log);
    }
    return {
      ok: false,
      summary: 'taken over elsewhere',
      message: { text: `Another instance of the bot is finishing this ${start.kind}; follow its thread.` },
    };
  }

  async function execute(plan: Plan, ctx: CommandContext): Promise<Outcome> {
    const data = planData(plan);
    const env = envOf(data.env);
    const now = deps.clock.now();
    const token = deps.ids.next();
    const reason =
      data.kind === 'deploy'
        ? `deploying ${data.sha?.slice(0, 7)} (requested by <@${ctx.caller.userId}>)`
        : `rolling back to v${data.targetVersion} (requested by <@${ctx.caller.userId}>)`;
    // Rollback locks never expire: after a rollback the environment stays frozen until someone unlocks it.
    const lock = await deps.store.locks.acquire({
      env: env.name,
      holderId: ctx.caller.userId,
      kind: data.kind,
      reason,
      token,
      acquiredAt: now,
      expiresAt: data.kind === 'rollback' ? null : now + DEPLOY_LOCK_TTL_MS,
    });
    if (!lock.ok) throw new AppError('locked', lockedMessage(env.name, lock.heldBy));
    const rec: DeployRecord = {
      id: deps.ids.next(),
      env: env.name,
      app: env.herokuApp,
      kind: data.kind,
      ref: data.ref,
      sha: data.sha,
      targetReleaseId: data.targetReleaseId,
      targetVersion: data.targetVersion,
      previousVersion: data.previousVersion,
      requesterId: ctx.caller.userId,
      approverId: ctx.approval?.approvedBy ?? null,
      approvalId: ctx.approval?.id ?? null,
      state: 'queued',
      backup: data.backup,
      backupTransferId: null,
      backupName: null,
      buildId: null,
      releaseVersion: null,
      githubDeploymentId: null,
      statusChannel: null,
      statusTs: null,
      lockToken: token,
      outputTail: null,
      error: null,
      correlationId: ctx.correlationId,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
    };
    try {
      await deps.store.deploys.create(rec);
    } catch (err) {
      await deps.store.locks.release(env.name, token);
      throw err;
    }
    const log = ctx.log.child({ deployId: rec.id, env: env.name });
    await ctx.progress.update(statusMessage(rec, env));
    const ref = ctx.progress.ref?.();
    if (ref) {
      rec.statusChannel = ref.channel;
      rec.statusTs = ref.ts;
      await deps.store.deploys.update(rec.id, { statusChannel: ref.channel, statusTs: ref.ts });
    }
    await ctx.progress.thread(
      threadLine(
        `:rocket: Started the ${describeRun(rec)} on ${env.name} for <@${rec.requesterId}>. ${env.name} is locked until it ends.`,
      ),
    );
    // Asked for outside the deploy channel: that channel still hears of every change (issue 5, announcements).
    await announce(deps.chat(), announceChannelFor(env, rec.statusChannel), startNotice(rec, env), log);
    await startGitHubDeployment(deps, rec, env, ctx.progress, log);
    return drive(rec, { type: 'start' }, ctx.progress, log);
  }

  async function resumeOne(rec: DeployRecord): Promise<void> {
    const log = deps.log.child({ deployId: rec.id, env: rec.env, resumed: true });
    // Instances booting together: the first claim posts the notice and drives it. The claim is short-lived
    // so a later boot (if this one dies too) resumes again; steps themselves are guarded by CAS anyway.
    const claimed = await deps.store.dedup.claim(
      `deploy-resume:${rec.id}:${rec.state}:${rec.updatedAt}`,
      deps.clock.now(),
      RESUME_CLAIM_MS,
    );
    if (!claimed) return;
    const channel = rec.statusChannel ?? envOf(rec.env).deployChannel ?? null;
    const anchor = rec.statusChannel && rec.statusTs ? { channel: rec.statusChannel, ts: rec.statusTs } : undefined;
    const progress: ChatProgress = channel
      ? createProgress(deps.chat(), channel, log, anchor)
      : { update: async () => undefined, thread: async () => undefined };
    await progress.thread(
      threadLine(
        `:arrows_counterclockwise: The bot restarted; picking this ${rec.kind} up again (it was ${rec.state.replace('_', ' ')}).`,
      ),
    );
    // Re-enter the current state: the pending step runs with `resumed`, so one whose start was not persisted is not repeated.
    const effect =
      rec.state === 'queued'
        ? null
        : rec.state === 'backing_up'
          ? 'capture_backup'
          : rec.state === 'building'
            ? 'create_build'
            : rec.state === 'rolling_back'
              ? 'rollback_release'
              : 'verify_health';
    if (effect === null) {
      await drive(rec, { type: 'start' }, progress, log);
      return;
    }
    const ev = await runStep(effect, { rec, env: envOf(rec.env), progress, resumed: true }, log);
    if (ev === null) return;
    const fresh = (await deps.store.deploys.get(rec.id)) ?? rec;
    await drive(fresh, ev, progress, log);
  }

  return {
    planDeploy,
    planRollback,
    execute,
    async resume() {
      const active = await deps.store.deploys.listActive();
      await Promise.all(
        active.map((rec) =>
          resumeOne(rec).catch((err) => deps.log.error({ err, deployId: rec.id }, 'could not resume the deploy')),
        ),
      );
      return active.length;
    },
    stop() {
      stopped = true;
    },
  };
}
