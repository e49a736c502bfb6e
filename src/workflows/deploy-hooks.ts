import type { EnvironmentConfig } from '../config.ts';
import type { DeployPlanData } from '../services/deploys/plan.ts';
import { FLAG_VAR } from '../services/deploys/plan.ts';
import { auditEntry } from '../services/audit.ts';
import { releasedOn } from '../services/deploys/run-history.ts';
import type { HookContext, WorkflowDef } from '../services/workflows/types.ts';
import { finishOnGitHub } from './steps/github-record.ts';
import { backupOf } from './steps/heroku-steps.ts';
import { outputOf } from '../core/workflow.ts';
import { flagNote, type RolledBack } from './steps/rollback.ts';

/** What a deploy or rollback run carries: its plan's data and the approval it executes, if any. */
export interface DeployRunInput extends DeployPlanData {
  approvalId: string | null;
  approverId: string | null;
}

/** "deploy of abc1234" / "rollback to v41". */
export const describeChange = (i: DeployRunInput): string =>
  i.kind === 'deploy' ? `deploy of ${i.sha?.slice(0, 7) ?? i.ref ?? '?'}` : `rollback to v${i.targetVersion ?? '?'}`;

const who = (ctx: HookContext, i: DeployRunInput): string =>
  `<@${ctx.run.requesterId}>${i.approverId ? ` (approved by <@${i.approverId}>)` : ''}`;
const where = (env: EnvironmentConfig): string => `${env.name} (${env.herokuApp})`;

/** The facts on the root message: who asked and approved, what ran before, the backup, what runs now. */
export function deployFacts(i: DeployRunInput, run: Parameters<NonNullable<WorkflowDef['facts']>>[1]): string[] {
  const f = [`Requested by <@${run.requesterId}>`];
  if (i.approverId) f.push(`Approved by <@${i.approverId}>`);
  if (i.previousVersion !== null) f.push(`Was v${i.previousVersion}`);
  const backup = outputOf(run.data, backupOf(i.env))?.name;
  if (backup) f.push(`Backup ${backup}`);
  const now = releasedOn(run, i.env);
  if (now !== null) f.push(`Now v${now}`);
  return f;
}

/** Under the root message's head once stopped: what runs now and what to do about it. */
export function deployOutcome(i: DeployRunInput, run: Parameters<NonNullable<WorkflowDef['facts']>>[1]): string | null {
  const now = releasedOn(run, i.env);
  const frozen =
    i.kind === 'rollback' && now !== null
      ? ` :lock: ${i.env} stays locked; \`/autorisen unlock ${i.env}\` when it is fixed.`
      : '';
  if (run.state === 'done') return `${i.env} runs v${now} and passes its health check and contract probes.${frozen}`;
  if (run.state === 'running' || run.state === 'waiting') return null;
  if (now !== null)
    return `v${now} is live but unhealthy: roll back with the button, or \`/autorisen rollback ${i.env}\`.${frozen}`;
  return `Nothing new was released; v${i.previousVersion ?? '?'} still runs.${frozen}`;
}

/**
 * The side effects deploys and rollbacks share around their steps: the notice in the deploy
 * channel, the GitHub deployment's final status, the flag history of the new release, and (after a
 * restart, when nobody awaits the run) the approval it executes.
 */
export const deployHooks: Pick<WorkflowDef<DeployRunInput>, 'started' | 'stopped'> = {
  async started(ctx) {
    const i = ctx.input;
    const env = ctx.env(i.env);
    await ctx.announce(
      i.env,
      i.kind === 'deploy'
        ? `:rocket: ${who(ctx, i)} started the ${describeChange(i)}${i.ref && i.sha && !i.sha.startsWith(i.ref) ? ` (${i.ref})` : ''} to ${where(env)}; v${i.previousVersion ?? '?'} runs now.`
        : `:rewind: ${who(ctx, i)} started the rollback of ${where(env)} from v${i.previousVersion ?? '?'} to v${i.targetVersion ?? '?'}.`,
    );
  },
  async stopped(ctx) {
    const { run } = ctx;
    const i = ctx.input;
    const env = ctx.env(i.env);
    const version = releasedOn(run, i.env);
    const ok = run.state === 'done';
    const frozen =
      i.kind === 'rollback' && version !== null ? ` ${env.name} stays locked until someone unlocks it.` : '';
    if (run.state === 'abandoned') {
      await ctx.announce(i.env, `:no_entry_sign: The ${describeChange(i)} on ${where(env)} was abandoned.${frozen}`);
      return;
    }
    const state = ok ? 'success' : run.scratch.external === true ? 'error' : 'failure';
    await finishOnGitHub(ctx, env, state, ok ? `v${version} is live` : (run.error ?? 'failed'));
    if (ok && version !== null) await recordRelease(ctx, env, version, i.kind);
    if (ctx.detached && i.approvalId) await settleApproval(ctx, i, ok);
    const running =
      version !== null ? `v${version} is live${ok ? '' : ' but unhealthy'}` : `v${i.previousVersion ?? '?'} still runs`;
    // A rollback restored the old release's config vars: the flag's state is part of the news (issue 23 §6).
    const rolledBack =
      i.kind === 'rollback' ? outputOf<RolledBack>(run.data, { name: `rollback-${i.env}` }) : undefined;
    const flag = rolledBack ? ` ${flagNote(rolledBack.flag, i.flag?.nowKnown ? i.flag.now : undefined)}` : '';
    await ctx.announce(
      i.env,
      ok
        ? `:white_check_mark: ${where(env)} runs v${version}: ${describeChange(i)} by ${who(ctx, i)} finished.${frozen}${flag}`
        : `:x: The ${describeChange(i)} on ${where(env)} by ${who(ctx, i)} stopped at "${ctx.stepTitle ?? '?'}"; ${running}.${frozen}${flag}`,
    );
  },
};

/** Add the new release to the flag history with the flag's value in it (a rollback may have changed it). */
async function recordRelease(
  ctx: HookContext,
  env: EnvironmentConfig,
  version: number,
  kind: 'deploy' | 'rollback',
): Promise<void> {
  try {
    const [release, vars] = await Promise.all([
      ctx.heroku.getRelease(env.herokuApp, version),
      ctx.heroku.getConfigVars(env.herokuApp),
    ]);
    await ctx.store.releases.record({
      env: env.name,
      app: env.herokuApp,
      version,
      releaseId: release.id,
      flagValue: vars[FLAG_VAR] ?? null,
      flagKnown: true,
      source: kind,
      actor: ctx.run.requesterId,
      description: release.description,
      at: ctx.clock.now(),
    });
  } catch (err) {
    ctx.log.warn({ err }, 'could not record the release in the flag history');
  }
}

/**
 * Close the approval the run executes. Normally the approval service does it when execute()
 * returns; after a restart nobody awaits execute(), so the run does. Compare-and-set: once only.
 */
async function settleApproval(ctx: HookContext, i: DeployRunInput, ok: boolean): Promise<void> {
  if (!i.approvalId) return;
  const { run } = ctx;
  const outcome = ok
    ? `${describeChange(i)} finished: v${releasedOn(run, i.env)} is live.`
    : `${describeChange(i)} stopped: ${run.error ?? 'see the thread'}`;
  try {
    await ctx.store.approvals.transition(
      i.approvalId,
      'executing',
      ok ? 'succeeded' : 'failed',
      { outcome },
      auditEntry({
        at: ctx.clock.now(),
        correlationId: run.correlationId,
        actorId: i.approverId ?? run.requesterId,
        channelId: run.statusChannel,
        command: i.kind,
        args: `approval ${i.approvalId}`,
        action: 'execute',
        result: ok ? 'ok' : 'failed',
        detail: outcome,
        env: i.env,
      }),
    );
  } catch (err) {
    ctx.log.warn({ err }, 'could not settle the approval');
  }
}
