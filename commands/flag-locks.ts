import type { CommandContext } from '../src/core/command.ts';
import { FLAG_VAR, readFlag, type FlagPlanData } from '../src/core/flag.ts';
import { escapeMrkdwn } from '../src/core/mrkdwn.ts';
import type { LockInfo } from '../src/ports/stores/locks.ts';

/**
 * The kill switch and the environment lock (issue 9 §1). `flag off` never waits for a lock. When the
 * lock is a flag change in flight, `off` takes that lock over and leaves a mark keyed on the taken
 * lock's token (in the shared dedup store, so it works across instances). The change in flight looks
 * for the mark when it finishes; if it finds it and its own PATCH left the flag on, it turns the flag
 * back off. Deploy, rollback and manual locks are left in place (their holders still own them).
 */

/** The reason a kill switch's lock carries. */
export const KILL_SWITCH_REASON = 'flag off (kill switch)';

/** Kept in step with FLAG_LOCK_MS in flag-execute.ts (not imported: that module imports this one). */
const KILL_LOCK_MS = 2 * 60_000;

const markOf = (env: string, token: string): string => `kill-switch:${env}:${token}`;

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);

/** Why a `flag on` cannot start now. */
export function busyMessage(env: string, h: LockInfo): string {
  return `<@${h.holderId}> holds the ${env} lock (${h.kind}: ${escapeMrkdwn(h.reason)}, since ${hhmm(h.acquiredAt)} UTC), so nothing was changed. ${h.kind === 'flag' ? `Check \`/autorisen flag status ${env}\` in a moment.` : 'Try again once it is released.'}`;
}

/** What the kill switch went past, for its result message. */
export function overrideNote(env: string, h: LockInfo): string {
  const base = `The kill switch did not wait for the ${env} lock held by <@${h.holderId}> (${h.kind}: ${escapeMrkdwn(h.reason)}, since ${hhmm(h.acquiredAt)} UTC).`;
  if (h.kind === 'flag')
    return `${base} That flag change was still in flight; if it lands after this one, the bot turns the flag back off.`;
  if (h.kind === 'rollback' || h.kind === 'deploy')
    return `${base} A ${h.kind} restores or releases config vars: check \`/autorisen flag status ${env}\` once it finishes.`;
  return `${base} The lock stays in place for everything else.`;
}

/** Take a flag change's lock over (its holder learns of it at the end); other kinds of lock stay. Our token, or null. */
export async function takeOverFlagLock(
  ctx: CommandContext,
  env: string,
  h: LockInfo,
  token: string,
  now: number,
): Promise<string | null> {
  if (h.kind !== 'flag') return null;
  try {
    await ctx.store.dedup.claim(markOf(env, h.token), now, KILL_LOCK_MS);
    await ctx.store.locks.release(env, h.token);
    const again = await ctx.store.locks.acquire({
      env,
      holderId: ctx.caller.userId,
      kind: 'flag',
      reason: KILL_SWITCH_REASON,
      token,
      acquiredAt: now,
      expiresAt: now + KILL_LOCK_MS,
    });
    return again.ok ? token : null;
  } catch (err) {
    // The kill switch goes ahead without the lock rather than fail on it.
    ctx.log.warn({ err }, 'could not take the flag lock over for the kill switch');
    return null;
  }
}

/**
 * After a `flag on` PATCH: if the kill switch took our lock meanwhile (its mark is there) and the flag
 * is on now, our PATCH landed after the kill switch, so set the flag back off. Null when it did not run.
 */
export async function killSwitchRanMeanwhile(
  ctx: CommandContext,
  env: string,
  d: FlagPlanData,
  token: string,
): Promise<string | null> {
  if (d.target !== 'on') return null;
  // Claiming our own mark fails only if the kill switch claimed it first.
  const untouched = await ctx.store.dedup.claim(markOf(env, token), ctx.clock.now(), KILL_LOCK_MS).catch(() => true);
  if (untouched) return null;
  const now = readFlag((await ctx.heroku.getConfigVars(d.app).catch((): Record<string, string> => ({})))[FLAG_VAR]);
  if (now.state !== 'on') return `The kill switch ran while this was applying; ${FLAG_VAR} is off, as it wants.`;
  await ctx.heroku.setConfigVars(d.app, { [FLAG_VAR]: 'false' });
  return `The kill switch ran while this was applying and this change landed after it, so I set ${FLAG_VAR} back to "false".`;
}
