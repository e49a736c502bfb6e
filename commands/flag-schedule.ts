import type { CommandContext, Outcome, Plan } from '../src/ports/command.ts';
import { requireEnvironment } from '../src/core/environment.ts';
import { FLAG_VAR, type FlagTarget } from '../src/core/flag.ts';
import { markup, md, mention } from '../src/core/mrkdwn.ts';
import { formatSpan, formatWhen, resolveWhen, type WhenSpec } from '../src/core/schedule-time.ts';
import { slackTime } from '../src/core/slack-date.ts';
import { AppError } from '../src/errors.ts';
import type { SchedulePort } from '../src/ports/schedules.ts';

/**
 * `flag on|off <env> at …|in …` (issue 23 §1): scheduling is itself the action. Its plan says when
 * it runs and what it would do now; its execute stores the schedule. So where the environment needs
 * approval, the ordinary approval flow (N-of-M, distinct approvers, never the requester) approves
 * it ahead of time, and the scheduler later runs the plain `flag on` as the requester
 * (services/schedule). The world is checked again at run time, so the plan's fingerprint is the
 * schedule itself, not the flag's state now.
 */

/** What execute() needs, in Plan.data. */
interface SchedulePlanData {
  env: string;
  target: FlagTarget;
  runAt: number;
}

export interface ScheduledInput {
  action: FlagTarget;
  env: string;
  reason: string | null;
  force: boolean;
  when: WhenSpec;
}

/** The schedule service, or the refusal of an installation without one (also `/autorisen schedule`'s). */
export function schedulesOf(ctx: Pick<CommandContext, 'schedules'>): SchedulePort {
  if (!ctx.schedules)
    throw new AppError('config_invalid', 'Scheduled changes are not available in this installation of the bot.');
  return ctx.schedules;
}

/**
 * The time `in …` counts from: when the request was made. Re-planned under its approval (which
 * may come minutes later) it is the approval's creation, so the approved plan and the re-plan agree.
 */
async function requestedAt(ctx: CommandContext): Promise<number> {
  if (!ctx.approval) return ctx.clock.now();
  return (await ctx.store.approvals.get(ctx.approval.id))?.createdAt ?? ctx.clock.now();
}

/** The plan of a scheduled change; `now` is what the change would do if it ran now (or why it could not). */
export async function planScheduled(
  input: ScheduledInput,
  ctx: CommandContext,
  now: () => Promise<Plan>,
): Promise<Plan> {
  const schedules = schedulesOf(ctx);
  const env = requireEnvironment(ctx, input.env);
  const resolved = resolveWhen(input.when, await requestedAt(ctx), schedules.timezone);
  if (!resolved.ok) throw new AppError('usage', `Not scheduled: ${resolved.error}`);
  const { runAt } = resolved;
  const when = formatWhen(runAt, schedules.timezone);
  let current: string[];
  try {
    const p = await now();
    current = p.noop
      ? [`It would do nothing now: ${p.noop}`]
      : [...p.lines, ...p.warnings.map((w) => `:warning: ${w}`)];
  } catch (err) {
    // Refused now (the code is not there yet, a lock): not a reason to refuse a change for later.
    current = [`:warning: It could not run now: ${err instanceof AppError ? err.userMessage : String(err)}`];
  }
  const data: SchedulePlanData = { env: env.name, target: input.action, runAt };
  return {
    title: `Turn ${FLAG_VAR} ${input.action} in ${env.name} at ${when}`,
    lines: [
      md`Runs at *${when}* (${markup(slackTime(runAt))}), in ${formatSpan(runAt - ctx.clock.now())}, as ${mention(ctx.caller.userId)}.`,
      'At its time the lock, the gates, the code check and any guard are checked again: if anything blocks it, it is skipped and says why.',
      'What it would do if it ran now:',
      ...current,
    ],
    warnings: [],
    env: env.name,
    data,
    fingerprint: `schedule|${env.name}|${input.action}|${runAt}|${input.force}|${input.reason ?? ''}`,
    later: runAt,
  };
}

/** Store the approved schedule; its message tells how the run went. */
export async function executeScheduled(plan: Plan, input: ScheduledInput, ctx: CommandContext): Promise<Outcome> {
  const schedules = schedulesOf(ctx);
  const d = plan.data as SchedulePlanData;
  const when = formatWhen(d.runAt, schedules.timezone);
  if (d.runAt <= ctx.clock.now()) {
    const text = `Not scheduled: its time (${when}) passed before it was approved. Nothing was changed; ask again.`;
    return { ok: false, message: { text: `:x: ${text}` }, summary: text };
  }
  const rec = await schedules.schedule({
    env: d.env,
    target: d.target,
    reason: input.reason,
    force: input.force,
    runAt: d.runAt,
    requesterId: ctx.caller.userId,
    channelId: ctx.caller.channelId,
    approvalId: ctx.approval?.id ?? null,
    correlationId: ctx.correlationId,
  });
  const text = `:calendar: Scheduled \`${rec.id}\`: ${FLAG_VAR} ${d.target} in ${d.env} at ${when}. \`/autorisen schedule cancel ${rec.id}\` cancels it.`;
  return { ok: true, message: { text }, summary: `scheduled ${rec.id} for ${when}` };
}
