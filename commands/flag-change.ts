import type { EnvironmentConfig } from '../src/core/environment.ts';
import type { CommandContext, Outcome, Plan } from '../src/ports/command.ts';
import { overtaken, passLock, releaseLocks, takeLocks } from '../src/ports/env-locks.ts';
import { describeFlag, FLAG_VAR, type FlagPlanData, type FlagValue, readFlag } from '../src/core/flag.ts';
import { AppError } from '../src/errors.ts';
import type { HerokuRelease } from '../src/ports/heroku.ts';
import type { LockInfo } from '../src/ports/stores/locks.ts';
import type { ReleaseSource } from '../src/ports/stores/releases.ts';
import * as reply from './flag-replies.ts';

/**
 * A flag change from its plan to its reply: the environment's lock (the one lock mechanism every
 * change uses, src/ports/env-locks.ts; the kill switch goes past any lock), a re-read, the PATCH
 * (read back when Heroku does not answer), the flag history, the kill switch's fix-up, and the
 * contract probes. What it says is written in flag-replies.ts.
 */

/**
 * Long enough for the re-read, the PATCH and the release lookup (each bounded by the adapter's
 * timeout), short enough that a crashed instance never blocks the kill switch for long.
 */
export const FLAG_LOCK_MS = 2 * 60_000;

/**
 * When Heroku does not answer the PATCH, re-read the flag after these waits. Heroku can apply a
 * PATCH it answers late (reproduced: applied after the 20 s client timeout), so one immediate
 * re-read is not enough to say "nothing changed".
 */
export const READBACK_WAITS_MS = [0, 2_000, 5_000] as const;

/** Heroku errors after which the PATCH may still have been applied (no answer, or a 5xx). */
const UNCERTAIN = new Set(['heroku_timeout', 'heroku_unavailable']);

/** Apply a flag plan and answer the reply; the kill switch never waits for anything. */
export async function changeFlag(plan: Plan, ctx: CommandContext, reason: string | null): Promise<Outcome> {
  const d = plan.data as FlagPlanData;
  const env = ctx.env(d.env);
  if (!env)
    throw new AppError('config_invalid', `The environment "${d.env}" is no longer configured; nothing was changed.`);
  const claim = {
    token: ctx.ids.next(),
    holderId: ctx.caller.userId,
    kind: 'flag',
    reason: `flag ${d.target}`,
    now: ctx.clock.now(),
    ttlMs: FLAG_LOCK_MS,
  };
  let held: string | null = claim.token;
  let past: LockInfo | null = null;
  if (d.target === 'off') ({ token: held, wentPast: past } = await passLock(ctx.store, env.name, claim, ctx.log));
  else await takeLocks(ctx.store, [env.name], claim, reply.busy);
  let outcome: Outcome;
  try {
    outcome = await underLock(ctx, d, env, { held, past, reason, now: claim.now });
  } finally {
    if (held) await releaseLocks(ctx.store, [env.name], held, ctx.log);
  }
  // The probes wait for the dynos to restart: after the lock is released, so nothing waits on them.
  return outcome.ok ? probed(outcome, d, env, ctx) : outcome;
}

async function underLock(
  ctx: CommandContext,
  d: FlagPlanData,
  env: EnvironmentConfig,
  o: { held: string | null; past: LockInfo | null; reason: string | null; now: number },
): Promise<Outcome> {
  const before = readFlag((await ctx.heroku.getConfigVars(d.app))[FLAG_VAR]);
  if (before.raw === d.to) return reply.alreadySet(d, env, o.past);
  // A stale plan fails safe for `on`; the kill switch turns the flag off whatever it was.
  if (before.raw !== d.from && d.target === 'on') return reply.stale(d, env, before);
  const readbackAfter = await patchFlag(ctx, d, before);
  const [release] = await ctx.heroku.listReleases(d.app, 1).catch(() => []);
  if (release) await recordFlagChange(ctx, env, d, release, o.now);
  const killSwitch = o.held && d.target === 'on' ? await undoIfOvertaken(ctx, env, d, o.held) : null;
  return reply.applied({
    d,
    env,
    userId: ctx.caller.userId,
    before,
    version: release?.version ?? null,
    reason: o.reason,
    readbackAfter,
    past: o.past,
    killSwitch,
  });
}

/**
 * PATCH the flag; answers null when Heroku confirmed it, or the error code after which reading it
 * back did. A definite refusal (4xx) changed nothing. No answer or a 5xx is read back a few times:
 * the target value means it was applied; otherwise the error says what is known and how to check.
 */
async function patchFlag(ctx: CommandContext, d: FlagPlanData, before: FlagValue): Promise<string | null> {
  try {
    await ctx.heroku.setConfigVars(d.app, { [FLAG_VAR]: d.to });
    return null;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const rethrow = (text: string) => new AppError(err.code, text, { cause: err, retryAfterSec: err.retryAfterSec });
    if (!UNCERTAIN.has(err.code)) throw rethrow(reply.refused(err.userMessage, describeFlag(before)));
    const waits = ctx.flagReadbackWaitsMs ?? READBACK_WAITS_MS;
    let after: FlagValue | null = null;
    for (const wait of waits) {
      if (wait > 0) await ctx.clock.sleep(wait);
      after = await ctx.heroku.getConfigVars(d.app).then(
        (v) => readFlag(v[FLAG_VAR]),
        () => after,
      );
      if (after?.raw === d.to) {
        ctx.log.warn({ err }, 'Heroku answered the PATCH with an error but the flag changed');
        return err.code;
      }
    }
    const seconds = Math.round(waits.reduce((a, b) => a + b, 0) / 1000);
    throw rethrow(reply.unanswered(err.userMessage, d, after, err.code === 'heroku_timeout', seconds));
  }
}

/** After a `flag on`: if the kill switch took our lock over meanwhile and the flag is on now, set it back off. */
async function undoIfOvertaken(
  ctx: CommandContext,
  env: EnvironmentConfig,
  d: FlagPlanData,
  token: string,
): Promise<reply.KillSwitchMeanwhile> {
  if (!(await overtaken(ctx.store, env.name, token, ctx.clock.now(), FLAG_LOCK_MS))) return null;
  const now = readFlag((await ctx.heroku.getConfigVars(d.app).catch((): Record<string, string> => ({})))[FLAG_VAR]);
  if (now.state !== 'on') return 'off-already';
  await ctx.heroku.setConfigVars(d.app, { [FLAG_VAR]: 'false' });
  return 'set-back';
}

/** The new release in the flag history, and the one before it as seen when planned. Best effort. */
async function recordFlagChange(
  ctx: CommandContext,
  env: EnvironmentConfig,
  d: FlagPlanData,
  release: HerokuRelease,
  now: number,
): Promise<void> {
  await recordRelease(ctx, env, release, d.to, 'flag', ctx.caller.userId).catch((err) =>
    ctx.log.warn({ err }, 'could not record the flag release'),
  );
  if (d.version === null || d.releaseId === null || d.version === release.version) return;
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

/** Record a release and the flag's value in it in the flag history (issue 3 §7). */
export async function recordRelease(
  ctx: Pick<CommandContext, 'store' | 'clock'>,
  env: EnvironmentConfig,
  release: HerokuRelease,
  flagRaw: string | null,
  source: ReleaseSource,
  actor: string | null,
): Promise<void> {
  await ctx.store.releases.record({
    env: env.name,
    app: env.herokuApp,
    version: release.version,
    releaseId: release.id,
    flagValue: flagRaw,
    flagKnown: true,
    source,
    actor: actor ?? release.userEmail,
    description: release.description,
    at: Date.parse(release.createdAt) || ctx.clock.now(),
  });
}

/**
 * After the change, the environment's contract probes (issue 11 §3): Heroku restarts the dynos, so
 * they are retried within the environment's verify window. The change is made already (the kill
 * switch is never held up by them); only the reply gains their answer.
 */
async function probed(outcome: Outcome, d: FlagPlanData, env: EnvironmentConfig, ctx: CommandContext) {
  if (!ctx.probes || ctx.probes.count(env.name) === 0) return outcome;
  const deadline = ctx.clock.now() + env.verifySeconds * 1000;
  let r = await ctx.probes.run(env.name);
  while (!r.ok && ctx.clock.now() < deadline) {
    await ctx.clock.sleep(5_000);
    r = await ctx.probes.run(env.name);
  }
  // The settled answer (not each retry while the dynos restart) is what the checklist shows.
  await ctx.probes.record(r, { trigger: 'flag', actor: ctx.caller.userId, correlationId: ctx.correlationId });
  return reply.withProbes(outcome, d, r);
}
