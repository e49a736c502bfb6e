import type { EnvironmentConfig } from '../config.ts';
import { DEPLOY_STATE_WORDS, type DeployStep } from '../core/deploys.ts';
import type { Button, Message } from '../core/message.ts';
import type { DeployRecord } from '../ports/stores/deploys.ts';
import { RUN_ACTION } from './dispatcher.ts';

/** "deploy of abc1234" / "rollback to v41": what this run is, in a few words. */
export function describeRun(rec: DeployRecord): string {
  return rec.kind === 'deploy'
    ? `deploy of ${rec.sha?.slice(0, 7) ?? rec.ref ?? '?'}`
    : `rollback to v${rec.targetVersion ?? '?'}`;
}

function titleOf(rec: DeployRecord, env: EnvironmentConfig): string {
  return rec.kind === 'deploy'
    ? `Deploy ${rec.sha?.slice(0, 7) ?? rec.ref} to ${env.name}`
    : `Roll back ${env.name} to v${rec.targetVersion}`;
}

function facts(rec: DeployRecord): string[] {
  const f = [`Requested by <@${rec.requesterId}>`];
  if (rec.approverId) f.push(`Approved by <@${rec.approverId}>`);
  if (rec.previousVersion !== null) f.push(`Was v${rec.previousVersion}`);
  if (rec.backupName) f.push(`Backup ${rec.backupName}`);
  if (rec.releaseVersion !== null) f.push(`Now v${rec.releaseVersion}`);
  return f;
}

/** The status message while work runs (rewritten at each step). */
export function statusMessage(rec: DeployRecord, env: EnvironmentConfig): Message {
  const step = DEPLOY_STATE_WORDS[rec.state];
  return {
    text: `${titleOf(rec, env)}: ${step}…`,
    visibility: 'in_channel',
    blocks: [
      { type: 'section', text: `:hourglass_flowing_sand: *${titleOf(rec, env)}*: ${step}…` },
      { type: 'fields', fields: facts(rec) },
      { type: 'context', text: `Progress in the thread · ${rec.kind} ${rec.id}` },
    ],
  };
}

/** The button that runs `/autorisen rollback <env>` as whoever clicks it (approval applies as usual). */
export function rollbackButton(env: EnvironmentConfig): Button {
  return {
    actionId: RUN_ACTION,
    label: 'Roll back',
    value: `rollback ${env.name}`,
    style: 'danger',
    confirm: `Roll ${env.name} back to the release before this one?`,
  };
}

/** What a failed step was doing, for messages ("failed while building"). */
export const STEP_WORDS: Record<DeployStep, string> = {
  backup: 'taking the backup',
  build: 'building',
  rollback: 'rolling back',
  verify: 'checking health',
  lock: 'locking',
  github: 'talking to GitHub',
};

/** The final message: what happened, to what, by whom, and what to do next. */
export function finalMessage(
  rec: DeployRecord,
  env: EnvironmentConfig,
  ok: boolean,
  opts: { step?: DeployStep; offerRollback: boolean; keptLocked: boolean },
): Message {
  const title = titleOf(rec, env);
  const lines: string[] = [];
  if (ok) {
    lines.push(
      `:white_check_mark: *${title}*: done. ${env.name} runs v${rec.releaseVersion} and ${env.healthPath} answers.`,
    );
  } else {
    lines.push(
      `:x: *${title}* failed${opts.step ? ` while ${STEP_WORDS[opts.step]}` : ''}: ${rec.error ?? 'unknown error'}`,
    );
    if (opts.offerRollback && rec.releaseVersion !== null)
      lines.push(
        `v${rec.releaseVersion} is live but unhealthy: roll back to v${rec.previousVersion ?? 'the previous release'} with the button, or \`/autorisen rollback ${env.name}\`.`,
      );
    else if (opts.offerRollback)
      lines.push(
        `Nothing new was released; v${rec.previousVersion ?? '?'} still runs. If it is the problem, roll back with the button (to the release before it).`,
      );
  }
  if (opts.keptLocked)
    lines.push(`:lock: ${env.name} stays locked; \`/autorisen unlock ${env.name}\` when it is fixed.`);
  const blocks: Message['blocks'] = [
    { type: 'section', text: lines.join('\n') },
    { type: 'fields', fields: facts(rec) },
  ];
  if (!ok && rec.outputTail) blocks.push({ type: 'code', text: rec.outputTail });
  blocks.push({ type: 'context', text: `${rec.kind} ${rec.id}` });
  return {
    text: lines.join(' ').replace(/\*/g, ''),
    visibility: 'in_channel',
    blocks,
    ...(opts.offerRollback ? { buttons: [rollbackButton(env)] } : {}),
  };
}

/** One line in the thread. */
export function threadLine(text: string, code?: string): Message {
  return { text, blocks: [{ type: 'section', text }, ...(code ? [{ type: 'code' as const, text: code }] : [])] };
}
