import { escapeMrkdwn } from '../../core/mrkdwn.ts';
import { done, failed, faulty, wait, type Offer } from '../../core/workflow.ts';
import type { Step } from '../../services/workflows/types.ts';

const MINUTE_MS = 60_000;
const formatSeconds = (ms: number): string => `${Number((ms / 1000).toFixed(1))} s`;

/**
 * Bake: `minutes` with no new alert for the environment. The window starts when the step first
 * runs (saved, so a restart keeps the same window) and is measured on the injected clock. On
 * production an alert makes the run "faulty" with Roll back / Flag off; on staging it stops the run.
 * `minuteMs` is a real minute except on the sandbox's compressed clock, where the step says so.
 */
/** The bake window that passed quietly. */
export interface BakeOutput {
  since: number;
  minutes: number;
}

export function bake(
  envName: string,
  minutes: number,
  production: boolean,
  minuteMs = MINUTE_MS,
): Step<BakeOutput, { since: number }> {
  const compressed =
    minuteMs === MINUTE_MS ? '' : ` (sandbox clock: ${minutes} min take ${formatSeconds(minutes * minuteMs)})`;
  return {
    name: `bake-${envName}`,
    title: `Bake ${envName}: ${minutes} min with no new alert`,
    offerEnv: envName,
    async run(ctx, state) {
      let since = state.scratch.since;
      if (since === undefined) {
        since = ctx.clock.now();
        await ctx.save({ since });
        if (minutes > 0) await ctx.say(`:hourglass: Watching ${envName} for ${minutes} min${compressed}.`);
      }
      const start = since;
      const offers: Offer[] = production ? ['rollback', 'flag_off'] : ['rollback', 'retry', 'abandon'];
      const stop = (reason: string) => (production ? faulty(reason, offers) : failed(reason, offers));
      const fired = (await ctx.store.alerts.listOpen(envName, 50)).filter((g) => g.lastSeen >= start);
      if (fired.length > 0) {
        const what = fired.map((g) => `"${escapeMrkdwn(g.title)}" (${g.source}, ${g.severity})`).join(', ');
        return stop(`${fired.length} alert(s) on ${envName} during the bake: ${what}.`);
      }
      for (const check of ctx.bakeChecks ?? []) {
        const why = await check(ctx, { env: envName, since: start, production });
        if (why !== null) return stop(`${envName} during the bake: ${why}`);
      }
      const end = start + minutes * minuteMs;
      const now = ctx.clock.now();
      if (now >= end)
        return done({ since: start, minutes }, `:white_check_mark: ${envName} stayed quiet for ${minutes} min.`);
      return wait({ until: Math.min(end, now + ctx.bakePollMs) });
    },
  };
}
