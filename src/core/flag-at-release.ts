import { AppError } from '../errors.ts';
import { describeFlag, FLAG_VAR, isFlagRelease, isRollbackRelease, type KnownValue, readFlag } from './flag.ts';
import type { Plan } from './command.ts';

/**
 * The rollout flag in an older release (issue 23 §6), pure. Heroku's release body carries no config
 * vars and a rollback restores the target's, so what a rollback does to FEATURE_AUTORISEN is
 * derived, most reliable source first:
 * 1. the bot's flag history (the store) recorded the value in that very release;
 * 2. otherwise Heroku's release list from now back to it: the value is today's when no release in
 *    between set or removed the flag or was itself a rollback (the history fills in releases it knows);
 * 3. otherwise it is unknown, and the rollback may change the flag.
 */

export type FlagAtRelease = { known: true; raw: string | null; how: string } | { known: false; why: string };

/** A release as the walk needs it (newest first). */
export interface WalkRelease {
  version: number;
  description: string;
}

/** The flag's value in release `target`, from the history and the release list (newest first). */
export function flagAtRelease(
  releases: readonly WalkRelease[],
  known: ReadonlyMap<number, KnownValue>,
  currentRaw: string | null,
  target: number,
): FlagAtRelease {
  const recorded = known.get(target);
  if (recorded)
    return { known: true, raw: recorded.raw, how: `recorded in the bot's flag history (${recorded.source})` };
  let value = currentRaw;
  for (let i = 0; i < releases.length; i++) {
    const r = releases[i]!;
    if (r.version <= target) break;
    const older = releases[i + 1];
    if (!older || older.version < target)
      return { known: false, why: `v${target} is older than the releases read, and not in the bot's flag history` };
    const olderKnown = known.get(older.version);
    if (olderKnown) {
      value = olderKnown.raw;
      continue;
    }
    if (isFlagRelease(r.description) || isRollbackRelease(r.description))
      return {
        known: false,
        why: `v${r.version} ("${r.description}") may have changed it since, and the bot has no record of the value before`,
      };
  }
  if (!releases.some((r) => r.version === target))
    return { known: false, why: `v${target} is not in the release list read, nor in the bot's flag history` };
  return { known: true, raw: value, how: `no release since v${target} changed it (Heroku's release list)` };
}

/** What a rollback plan says about the flag, carried in its data (JSON). */
export interface RollbackFlag {
  /** The value now; undefined-like `nowKnown: false` when config vars could not be read. */
  now: string | null;
  nowKnown: boolean;
  after: string | null;
  afterKnown: boolean;
}

/** True when the rollback changes the flag or may (either side unknown). */
export function rollbackFlips(f: RollbackFlag): boolean {
  return !f.nowKnown || !f.afterKnown || f.now !== f.after;
}

/** The plan data's flag part, narrowed back from JSON; null for deploys and older plans. */
export function rollbackFlagOf(data: unknown): RollbackFlag | null {
  const f = (data as { flag?: Partial<RollbackFlag> | null } | null)?.flag;
  if (!f || typeof f.nowKnown !== 'boolean' || typeof f.afterKnown !== 'boolean') return null;
  return { now: f.now ?? null, nowKnown: f.nowKnown, after: f.after ?? null, afterKnown: f.afterKnown };
}

/** `"true" (on)` or "unknown". */
export const flagText = (raw: string | null, known: boolean): string =>
  known ? describeFlag(readFlag(raw)) : 'unknown';

/**
 * A production rollback that changes (or may change) the flag runs only when its requester accepted
 * it with `--accept-flag-change` or a second person approved the plan that says so in bold.
 */
export function refuseUnacceptedFlagFlip(
  plan: Plan,
  opts: { production: boolean; accepted: boolean; approved: boolean; env: string; command: string },
): void {
  const flag = rollbackFlagOf(plan.data);
  if (!opts.production || opts.accepted || opts.approved || !flag || !rollbackFlips(flag)) return;
  throw new AppError(
    'conflict',
    `This rollback of ${opts.env} ${flag.afterKnown && flag.nowKnown ? 'changes' : 'may change'} ${FLAG_VAR} (now ${flagText(flag.now, flag.nowKnown)}, after ${flagText(flag.after, flag.afterKnown)}), so nothing was run. If that is intended, run \`/autorisen ${opts.command} --accept-flag-change\`.`,
  );
}
