import type { CommandContext, Outcome, Plan } from '../src/core/command.ts';
import { describeFlag, FLAG_VAR, readFlag, type FlagPlanData } from '../src/core/flag.ts';
import { AppError } from '../src/errors.ts';
import type { LockInfo } from '../src/ports/stores/locks.ts';
import { patchFlag } from './flag-patch.ts';
import { busyMessage, killSwitchRanMeanwhile, overrideNote, takeOverFlagLock } from './flag-locks.ts';
import { recordRelease } from './flag-status.ts';
import { escapeMrkdwn } from '../src/core/mrkdwn.ts';
import { actorText } from '../src/core/guard/actor.ts';

/**
 * Long enough for the re-read, the PATCH and the release lookup (each bounded by the adapter's
 * timeout), short enough that a crashed instance never blocks the kill switch for long.
 */
export const FLAG_LOCK_MS = 2 * 60_000;

/**
 * Apply a flag plan: take the environment's lock, re-read the value (someone may have changed it
 * since the plan), PATCH, then record the new release in the flag history.
 */
export async function executeFlag(plan: Plan, ctx: CommandContext, reason: string | null): Promise<Outcome> {
  const d = plan.data as FlagPlanData;
  const env = ctx.env(d.env);
  if (!env)
    throw new AppError('config_invalid', `The environment "${d.env}" is no longer configured; nothing was changed.`);
  const now = ctx.clock.now();
  const token = ctx.ids.next();
  const got = await ctx.store.locks.acquire({
    env: env.name,
    holderId: ctx.caller.userId,
    kind: 'flag',
    reason: `flag ${d.target}`,
    token,
    acquiredAt: now,
    expiresAt: now + FLAG_LOCK_MS,
  });
  let held = got.ok ? token : null;
  let overrode: LockInfo | null = null;
  if (!got.ok) {
    const h = got.heldBy;
    // The kill switch never waits: not behind a deploy, a freeze, nor a flag change in flight (issue 9 §1).
    if (d.target !== 'off') throw new AppError('locked', busyMessage(env.name, h));
    overrode = h;
    held = await takeOverFlagLock(ctx, env.name, h, token, now);
  }
  try {
    const before = readFlag((await ctx.heroku.getConfigVars(d.app))[FLAG_VAR]);
    if (before.raw === d.to) {
      const note = overrode ? `\n:warning: ${overrideNote(env.name, overrode)}` : '';
      return {
        ok: true,
        message: {
          text: `:information_source: ${FLAG_VAR} is already "${d.to}" in ${env.name}, so nothing was applied.${note}`,
          ...(overrode ? { visibility: 'in_channel' as const } : {}),
        },
        ...(overrode ? { announce: true } : {}),
        summary: `noop: already ${d.to}${overrode ? `; overrode the ${overrode.kind} lock of ${overrode.holderId} (${overrode.reason})` : ''}`,
      };
    }
    // A stale plan fails safe for `on`; the kill switch turns the flag off whatever it was.
    if (before.raw !== d.from && d.target === 'on') {
      return {
        ok: false,
        message: {
          text: `:warning: ${FLAG_VAR} in ${env.name} changed since the plan (${d.from ?? 'not set'} → ${before.raw ?? 'not set'}), so nothing was applied. Run the command again to see the new plan.`,
        },
        summary: `stale: value is now ${before.raw ?? 'unset'}`,
      };
    }
    const patched = await patchFlag(ctx, d, describeFlag(before), ctx.flagReadbackWaitsMs);
    const [release] = await ctx.heroku.listReleases(d.app, 1).catch(() => []);
    if (release) {
      await recordRelease(ctx, env, release, d.to, 'flag', ctx.caller.userId).catch((err) =>
        ctx.log.warn({ err }, 'could not record the flag release'),
      );
      if (d.version !== null && d.releaseId !== null && d.version !== release.version) {
        await ctx.store.releases
          .record({
            env: env.name,
            app: d.app,
            version: d.version,
            releaseId: d.releaseId,
            flagValue: d.from,
            flagKnown: true,
            source: 'seen',
            actor: null,
            description: '',
            at: now,
          })
          .catch(() => undefined);
      }
    }
    const rel = release ? `, release v${release.version}` : '';
    const why = reason ? ` Reason: "${escapeMrkdwn(reason)}".` : '';
    const late =
      patched.confirmedBy === 'readback'
        ? ` Heroku did not answer in time (${patched.code}); reading it back confirmed the change.`
        : '';
    const killed = held ? await killSwitchRanMeanwhile(ctx, env.name, d, held) : null;
    const notes = [overrode ? overrideNote(env.name, overrode) : null, killed].filter((x) => x !== null);
    // issue 21: the guard's own kill switch is said "the guard turned…", not a broken mention.
    const text = `${d.target === 'off' ? ':octagonal_sign:' : ':white_check_mark:'} ${actorText(ctx.caller.userId)} turned the rollout flag *${d.target}* in ${env.name} (${d.app}): ${FLAG_VAR} ${describeFlag(before)} → "${d.to}"${rel}. Heroku is restarting the dynos.${why}${late}${notes.map((n) => `\n:warning: ${n}`).join('')}`;
    const summaryNotes = [
      patched.confirmedBy === 'readback' ? `confirmed by reading back after ${patched.code}` : null,
      overrode ? `overrode the ${overrode.kind} lock of ${overrode.holderId} (${overrode.reason})` : null,
      killed ? 'the kill switch ran meanwhile' : null,
    ].filter((x) => x !== null);
    return {
      ok: killed === null,
      message: { text, visibility: 'in_channel' },
      announce: true,
      summary: `${FLAG_VAR} ${before.raw ?? 'unset'} → ${d.to}${rel}${summaryNotes.length > 0 ? `; ${summaryNotes.join('; ')}` : ''}`,
    };
  } finally {
    if (held)
      await ctx.store.locks
        .release(env.name, held)
        .catch((err) => ctx.log.warn({ err }, 'could not release the flag lock'));
  }
}
