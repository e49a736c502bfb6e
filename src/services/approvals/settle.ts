import type { Caller, CommandContext, Plan, Settlement } from '../../ports/command.ts';
import type { CommandRegistry } from '../../ports/command.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import type { ApprovalRecord } from '../../ports/stores/approvals.ts';
import { auditEntry } from '../audit.ts';

/**
 * Approvals a dead process left `approved` or `executing` (issue 9 §1). At boot nobody is waiting
 * for their execute() any more, so without this the message says "Running now…" for ever.
 * - `approved`: execute() had not started (it moves to `executing` first), so nothing changed.
 * - `executing` with `settle`: the command reads the vendor back and says whether the change landed.
 * - `executing` whose `settle` answers null (a deploy or rollback still running): its workflow settles it.
 * - `executing` without `settle`: left alone.
 * Each is closed by compare-and-set with its audit row, so two instances booting together settle it once.
 */

export interface SettleDeps {
  registry: CommandRegistry;
  store: Store;
  clock: Clock;
  log: Logger;
  /** A context acting as the requester, for the command's read-back. */
  contextFor(caller: Caller, correlationId: string): CommandContext;
  /** Rewrite the approval message from the stored record. */
  rewrite(id: string): Promise<void>;
  /** Tell the announce channel how it ended (unless the approval message is there). */
  announce(rec: ApprovalRecord, text: string): Promise<void>;
}

/** Settle every unfinished approval that can be settled; resolves with how many were. */
export async function settleInterrupted(deps: SettleDeps): Promise<number> {
  const unfinished = await deps.store.approvals.listUnfinished();
  let n = 0;
  for (const rec of unfinished) {
    try {
      if (await settleOne(deps, rec)) n++;
    } catch (err) {
      deps.log.error({ err, approvalId: rec.id }, 'could not settle an interrupted approval');
    }
  }
  return n;
}

async function settleOne(deps: SettleDeps, rec: ApprovalRecord): Promise<boolean> {
  const cmd = deps.registry.get(rec.command);
  const action = cmd?.kind === 'action' ? cmd : null;
  if (rec.state === 'approved')
    return close(deps, rec, 'approved', {
      applied: false,
      text: 'Not run (interrupted by a restart before it started); nothing was changed. Ask again if it is still needed.',
    });
  if (!action) {
    return close(deps, rec, 'executing', {
      applied: null,
      text: `Interrupted by a restart, and "${rec.command}" no longer exists in this version of the bot, so its result cannot be read back.`,
    });
  }
  if (!action.settle) return false;
  const ctx = deps.contextFor({ userId: rec.requesterId, channelId: rec.channelId, role: 'viewer' }, rec.correlationId);
  const settlement = await action.settle(rec.plan as Plan, rec.input, ctx);
  if (settlement === null) return false;
  return close(deps, rec, 'executing', settlement);
}

async function close(
  deps: SettleDeps,
  rec: ApprovalRecord,
  from: 'approved' | 'executing',
  s: Settlement,
): Promise<boolean> {
  const result = s.applied === true ? 'ok' : s.applied === false ? 'not_applied' : 'unknown';
  const ok = await deps.store.approvals.transition(
    rec.id,
    from,
    s.applied === true ? 'succeeded' : 'failed',
    { outcome: s.text },
    auditEntry({
      at: deps.clock.now(),
      correlationId: rec.correlationId,
      actorId: 'system',
      channelId: rec.channelId,
      command: rec.command,
      args: `approval ${rec.id}`,
      action: 'settle',
      result,
      detail: s.text,
      env: rec.env,
    }),
  );
  if (!ok) return false;
  deps.log.info({ approvalId: rec.id, result }, 'settled an approval interrupted by a restart');
  await deps.rewrite(rec.id);
  await deps.announce(rec, `${(rec.plan as Plan).title}: ${s.text}`);
  return true;
}

/**
 * At boot, after settling approvals: a `flag` lock still held was taken by a flag change that
 * died with its process (direct or approved), since flag changes take their lock only while they
 * run. Release it so nothing waits up to FLAG_LOCK_MS for a holder that is gone, and record it.
 * Other kinds of lock (deploys, rollbacks, manual freezes) are left to their owners.
 */
export async function releaseInterruptedFlagLocks(
  deps: Pick<SettleDeps, 'store' | 'clock' | 'log'>,
  envs: readonly string[],
): Promise<number> {
  let n = 0;
  for (const env of envs) {
    try {
      const lock = await deps.store.locks.get(env, deps.clock.now());
      if (lock?.kind !== 'flag' || !(await deps.store.locks.release(env, lock.token))) continue;
      n++;
      await deps.store.audit.append(
        auditEntry({
          at: deps.clock.now(),
          correlationId: 'boot',
          actorId: 'system',
          command: lock.reason.startsWith('flag off') ? 'flag off' : 'flag on',
          action: 'settle',
          result: 'lock_released',
          detail: `Released the ${env} lock of an interrupted "${lock.reason}" by <@${lock.holderId}>; \`/autorisen flag status ${env}\` shows what Heroku has.`,
          env,
        }),
      );
    } catch (err) {
      deps.log.error({ err, env }, 'could not release an interrupted flag lock');
    }
  }
  return n;
}
