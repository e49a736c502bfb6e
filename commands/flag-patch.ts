import type { CommandContext } from '../src/core/command.ts';
import { describeFlag, FLAG_VAR, readFlag, type FlagPlanData, type FlagValue } from '../src/core/flag.ts';
import { AppError } from '../src/errors.ts';

/** Heroku errors after which the PATCH may still have been applied (no answer, or a 5xx). */
const UNCERTAIN = new Set(['heroku_timeout', 'heroku_unavailable']);

/**
 * When Heroku does not answer the PATCH, re-read the flag after these waits. Heroku can apply a
 * PATCH it answers late (reproduced: applied after the 20 s client timeout), so one immediate
 * re-read is not enough to say "nothing changed".
 */
export const READBACK_WAITS_MS = [0, 2_000, 5_000] as const;

/** How a PATCH ended: applied at once, or applied as found by reading back after an uncertain error. */
export type PatchResult = { confirmedBy: 'answer' } | { confirmedBy: 'readback'; code: string };

/**
 * PATCH the flag; on failure say truthfully whether anything changed. A definite refusal (4xx) changed
 * nothing. No answer or a 5xx is read back a few times: the target value means it was applied; a
 * 5xx that still shows the old value was not; a timeout that still shows the old value is unknown,
 * and the error says how to check.
 */
export async function patchFlag(
  ctx: CommandContext,
  d: FlagPlanData,
  beforeText: string,
  waits: readonly number[] = READBACK_WAITS_MS,
): Promise<PatchResult> {
  try {
    await ctx.heroku.setConfigVars(d.app, { [FLAG_VAR]: d.to });
    return { confirmedBy: 'answer' };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (!UNCERTAIN.has(err.code)) {
      throw new AppError(err.code, `${err.userMessage} Nothing was changed: ${FLAG_VAR} is still ${beforeText}.`, {
        cause: err,
        retryAfterSec: err.retryAfterSec,
      });
    }
    let after: FlagValue | null = null;
    for (const wait of waits) {
      if (wait > 0) await ctx.clock.sleep(wait);
      after = await ctx.heroku.getConfigVars(d.app).then(
        (v) => readFlag(v[FLAG_VAR]),
        () => after,
      );
      if (after?.raw === d.to) {
        ctx.log.warn({ err }, 'Heroku answered the PATCH with an error but the flag changed');
        return { confirmedBy: 'readback', code: err.code };
      }
    }
    const seconds = Math.round(waits.reduce((a, b) => a + b, 0) / 1000);
    const check = `\`/autorisen flag status ${d.env}\``;
    let state: string;
    if (!after) state = `I could not re-read ${FLAG_VAR}, so I do not know whether it changed; check ${check}.`;
    else if (err.code === 'heroku_timeout')
      state = `Result unknown: re-read over ${seconds} s, ${FLAG_VAR} is still ${describeFlag(after)}, but Heroku may still apply the change late. Check ${check} in a minute: a new release "Set ${FLAG_VAR} config vars" means it landed.`;
    else state = `I checked: ${FLAG_VAR} is still ${describeFlag(after)}, so nothing was changed.`;
    throw new AppError(err.code, `${err.userMessage} ${state}`, { cause: err, retryAfterSec: err.retryAfterSec });
  }
}
