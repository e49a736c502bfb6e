import type { CommandContext, Outcome, Plan } from '../src/core/command.ts';
import { describeFlag, FLAG_VAR, readFlag, type FlagPlanData } from '../src/core/flag.ts';
import { AppError } from '../src/errors.ts';
import { recordRelease } from './flag-status.ts';
import { escapeMrkdwn } from '../src/core/mrkdwn.ts';

/**
 * Long enough for the re-read, the PATCH and the release lookup (each bounded by the adapter's
 * timeout), short enough that a crashed instance never blocks the kill switch for long.
 */
export const FLAG_LOCK_MS = 2 * 60_000;

/** Heroku errors after which the PATCH may still have been applied (no answer, or a 5xx). */
const UNCERTAIN = new Set(['heroku_timeout', 'heroku_unavailable']);

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
  let lockNote: string | null = null;
  if (!got.ok) {
    const h = got.heldBy;
    const since = new Date(h.acquiredAt).toISOString().slice(11, 16);
    // The kill switch does not wait behind a deploy or a manual lock; a concurrent flag change it does.
    if (d.target === 'off' && h.kind !== 'flag')
      lockNote = `${env.name} is locked by <@${h.holderId}> (${h.kind}: ${escapeMrkdwn(h.reason)}); the kill switch went ahead anyway. If that is a rollback, check \`/autorisen flag status ${env.name}\` once it finishes: a rollback restores old config vars.`;
    else
      throw new AppError(
        'locked',
        `<@${h.holderId}> holds the ${env.name} lock (${h.kind}: ${escapeMrkdwn(h.reason)}, since ${since} UTC), so nothing was changed. ${h.kind === 'flag' ? `Check \`/autorisen flag status ${env.name}\` in a moment.` : 'Try again once it is released.'}`,
      );
  }
  try {
    const before = readFlag((await ctx.heroku.getConfigVars(d.app))[FLAG_VAR]);
    if (before.raw === d.to) {
      return {
        ok: true,
        message: {
          text: `:information_source: ${FLAG_VAR} is already "${d.to}" in ${env.name}: it was changed while your request waited, so nothing was applied.`,
        },
        summary: `noop: already ${d.to}`,
      };
    }
    if (before.raw !== d.from) {
      return {
        ok: false,
        message: {
          text: `:warning: ${FLAG_VAR} in ${env.name} changed since the plan (${d.from ?? 'not set'} → ${before.raw ?? 'not set'}), so nothing was applied. Run the command again to see the new plan.`,
        },
        summary: `stale: value is now ${before.raw ?? 'unset'}`,
      };
    }
    await patch(ctx, d, describeFlag(before));
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
    const text = `${d.target === 'off' ? ':octagonal_sign:' : ':white_check_mark:'} <@${ctx.caller.userId}> turned the rollout flag *${d.target}* in ${env.name} (${d.app}): ${FLAG_VAR} ${describeFlag(before)} → "${d.to}"${rel}. Heroku is restarting the dynos.${why}${lockNote ? `\n:warning: ${lockNote}` : ''}`;
    return {
      ok: true,
      message: { text, visibility: 'in_channel' },
      announce: true,
      summary: `${FLAG_VAR} ${before.raw ?? 'unset'} → ${d.to}${rel}`,
    };
  } finally {
    if (got.ok)
      await ctx.store.locks
        .release(env.name, token)
        .catch((err) => ctx.log.warn({ err }, 'could not release the flag lock'));
  }
}

/** PATCH the flag; on failure say whether anything changed (re-reading when Heroku's answer is unknown). */
async function patch(ctx: CommandContext, d: FlagPlanData, beforeText: string): Promise<void> {
  try {
    await ctx.heroku.setConfigVars(d.app, { [FLAG_VAR]: d.to });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (!UNCERTAIN.has(err.code)) {
      throw new AppError(err.code, `${err.userMessage} Nothing was changed: ${FLAG_VAR} is still ${beforeText}.`, {
        cause: err,
        retryAfterSec: err.retryAfterSec,
      });
    }
    const after = await ctx.heroku.getConfigVars(d.app).then(
      (v) => readFlag(v[FLAG_VAR]),
      () => null,
    );
    if (after?.raw === d.to) {
      ctx.log.warn({ err }, 'Heroku answered the PATCH with an error but the flag changed');
      return;
    }
    const state = after
      ? `I checked: ${FLAG_VAR} is still ${describeFlag(after)}, so nothing was changed.`
      : `I could not re-read ${FLAG_VAR}; check \`/autorisen flag status ${d.env}\` before trying again.`;
    throw new AppError(err.code, `${err.userMessage} ${state}`, { cause: err, retryAfterSec: err.retryAfterSec });
  }
}
