import { ACTIVE_STATES } from '../../core/deploys.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock } from '../../ports/clock.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import type { DeployRecord } from '../../ports/stores/deploys.ts';
import { auditEntry } from '../audit.ts';

/**
 * Deploys and rollbacks that a version of the bot from before the workflow engine left running in
 * its `deploys` table (an upgrade is a restart). The engine cannot resume them, so at boot each is
 * settled by reading Heroku back: did a release newer than the one it started from appear? Its
 * message says how it ended, its lock is released and an audit row records it (safety invariant 4).
 */
export async function settleLegacyDeploys(deps: {
  store: Store;
  heroku: HerokuPort;
  chat: () => ChatPort;
  clock: Clock;
  log: Logger;
}): Promise<number> {
  const active = await deps.store.deploys.listActive();
  let n = 0;
  for (const rec of active) {
    try {
      if (await settleOne(deps, rec)) n++;
    } catch (err) {
      deps.log.error({ err, deployId: rec.id }, 'could not settle a deploy left by an earlier version');
    }
  }
  return n;
}

async function settleOne(deps: Parameters<typeof settleLegacyDeploys>[0], rec: DeployRecord): Promise<boolean> {
  if (!ACTIVE_STATES.includes(rec.state)) return false;
  const releases = await deps.heroku.listReleases(rec.app, 10).catch(() => null);
  const newer = releases?.find((r) => r.version > (rec.previousVersion ?? Number.MAX_SAFE_INTEGER));
  const what =
    rec.kind === 'deploy' ? `deploy of ${rec.sha?.slice(0, 7) ?? rec.ref ?? '?'}` : `rollback to v${rec.targetVersion}`;
  const text =
    releases === null
      ? `The bot was upgraded while the ${what} ran, and Heroku could not be read to see how it ended: check \`/autorisen releases ${rec.env}\`.`
      : newer
        ? `The bot was upgraded while the ${what} ran; Heroku now runs v${newer.version}, made after it started, but its health was not checked: run \`/autorisen verify ${rec.env}\`.`
        : `The bot was upgraded while the ${what} ran; Heroku shows no new release, so nothing was changed. Ask again if it is still needed.`;
  const now = deps.clock.now();
  const moved = await deps.store.deploys.transition(
    rec.id,
    rec.state,
    'failed',
    { error: text, finishedAt: now, updatedAt: now, ...(newer ? { releaseVersion: newer.version } : {}) },
    auditEntry({
      at: now,
      correlationId: rec.correlationId,
      actorId: 'system',
      channelId: rec.statusChannel,
      command: rec.kind,
      args: `${rec.kind} ${rec.env} ${rec.id}`,
      action: 'deploy:settled_after_upgrade',
      result: releases === null ? 'unknown' : newer ? 'ok' : 'not_applied',
      detail: text,
      env: rec.env,
    }),
  );
  if (!moved) return false;
  if (rec.lockToken) await deps.store.locks.release(rec.env, rec.lockToken);
  if (rec.statusChannel && rec.statusTs)
    await deps
      .chat()
      .update({ channel: rec.statusChannel, ts: rec.statusTs }, { text: `:warning: ${text}`, visibility: 'in_channel' })
      .catch((err: unknown) => deps.log.warn({ err }, 'could not rewrite the legacy deploy message'));
  return true;
}
