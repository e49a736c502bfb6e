import type { EnvironmentConfig } from '../config.ts';
import type { DeployStep } from '../core/deploys.ts';
import type { Message } from '../core/message.ts';
import type { ChatPort } from '../ports/chat.ts';
import type { Logger } from '../ports/logger.ts';
import type { DeployRecord } from '../ports/stores/deploys.ts';
import { describeRun, STEP_WORDS } from './deploy-messages.ts';

/**
 * One-line notices in the environment's `deploy_channel` for work started elsewhere, so that
 * channel shows every deploy and rollback the bot makes. Short and link-free: what, who, which
 * version (the details stay in the thread where the work was asked for).
 */

/** Where to announce: the deploy channel, unless the work already reports there (or none is configured). */
export function announceChannelFor(env: EnvironmentConfig, statusChannel: string | null): string | null {
  return env.deployChannel && env.deployChannel !== statusChannel ? env.deployChannel : null;
}

const who = (rec: DeployRecord): string =>
  `<@${rec.requesterId}>${rec.approverId ? ` (approved by <@${rec.approverId}>)` : ''}`;
const where = (env: EnvironmentConfig): string => `${env.name} (${env.herokuApp})`;

/** ":rocket: <@A> (approved by <@B>) started the deploy of abc1234 (main) to production (capecraft); v2 runs now." */
export function startNotice(rec: DeployRecord, env: EnvironmentConfig): Message {
  const text =
    rec.kind === 'deploy'
      ? `:rocket: ${who(rec)} started the ${describeRun(rec)}${rec.ref && rec.sha && !rec.sha.startsWith(rec.ref) ? ` (${rec.ref})` : ''} to ${where(env)}; v${rec.previousVersion ?? '?'} runs now.`
      : `:rewind: ${who(rec)} started the rollback of ${where(env)} from v${rec.previousVersion ?? '?'} to v${rec.targetVersion ?? '?'}.`;
  return { text, visibility: 'in_channel' };
}

/** ":white_check_mark: production (capecraft) runs v3: deploy of abc1234 by <@A>." or what failed and what runs now. */
export function outcomeNotice(
  rec: DeployRecord,
  env: EnvironmentConfig,
  ok: boolean,
  step: DeployStep | undefined,
  keptLocked: boolean,
): Message {
  const locked = keptLocked ? ` ${env.name} stays locked until someone unlocks it.` : '';
  if (ok)
    return {
      text: `:white_check_mark: ${where(env)} runs v${rec.releaseVersion}: ${describeRun(rec)} by ${who(rec)} finished.${locked}`,
      visibility: 'in_channel',
    };
  // A release that exists but failed its health check is live; otherwise the old one still runs.
  const running =
    rec.releaseVersion !== null
      ? `v${rec.releaseVersion} is live but unhealthy`
      : `v${rec.previousVersion ?? '?'} still runs`;
  return {
    text: `:x: The ${describeRun(rec)} on ${where(env)} by ${who(rec)} failed${step ? ` while ${STEP_WORDS[step]}` : ''}; ${running}.${locked}`,
    visibility: 'in_channel',
  };
}

/** Post a notice; best effort (the work itself never fails because an announcement could not be posted). */
export async function announce(chat: ChatPort, channel: string | null, message: Message, log: Logger): Promise<void> {
  if (!channel) return;
  try {
    await chat.post(channel, message);
  } catch (err) {
    log.warn({ err, channel }, 'could not announce the deploy in the deploy channel');
  }
}
