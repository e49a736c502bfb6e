import type { EnvironmentConfig } from '../src/core/environment.ts';
import type { ActionCommand, Args, CommandContext, ParseResult, Plan, QueryCommand } from '../src/ports/command.ts';
import { requireEnvironment, waivedGateWarnings } from '../src/core/environment.ts';
import { FLAG_VAR, planFlagChange, readFlag, type FlagTarget } from '../src/core/flag.ts';
import { admitFlagOn, type FlagOnReadiness } from '../src/core/flag-on-checks.ts';
import { AppError } from '../src/errors.ts';
import { changeFlag } from './flag-change.ts';
import { settleFlag } from './flag-settle.ts';
import { flagStatusText } from './flag-status.ts';
import { executeScheduled, planScheduled, type ScheduledInput } from './flag-schedule.ts';
import { parseWhen, type WhenSpec } from '../src/core/schedule-time.ts';

/** Parsed `/autorisen flag …`. JSON-serialisable: it is stored with an approval request. */
export interface FlagInput {
  action: FlagTarget;
  env: string;
  reason: string | null;
  force: boolean;
  /** `at …` / `in …`: scheduled for later (issue 23 §1; commands/flag-schedule.ts). */
  when?: WhenSpec;
}

/** Longest --reason kept (it is shown in the approval message and the audit log). */
const MAX_REASON = 300;

/** Parse `<env> [--reason "…"] [--force]` after `flag on` / `flag off`. */
function parseChange(action: FlagTarget, args: Args): ParseResult<FlagInput> {
  const [env, extra, ...rest] = args.positional;
  if (!env) return { ok: false, error: `Which environment? e.g. \`/autorisen flag ${action} staging\`.` };
  const later = extra !== undefined && /^(at|in)$/i.test(extra) ? parseWhen([extra, ...rest]) : null;
  if (later && !later.ok) return later;
  if (extra !== undefined && !later)
    return { ok: false, error: `Unexpected "${extra}"; quote a reason with --reason "…".` };
  const reason = args.flags.reason;
  if (reason === true)
    return { ok: false, error: '--reason needs a text, e.g. --reason "error rate is back to normal".' };
  if (reason !== undefined && reason.length > MAX_REASON)
    return { ok: false, error: `--reason is limited to ${MAX_REASON} characters.` };
  const input: FlagInput = { action, env, reason: reason?.trim() || null, force: args.flags.force === true };
  return { ok: true, input: later?.ok ? { ...input, when: later.when } : input };
}

/**
 * `flag on <env>` / `flag off <env>`: flip the rollout flag on an environment's Heroku app.
 * On needs a second operator's approval where the environment requires it; off is the kill switch
 * and never waits for one.
 */
function flagChange(action: FlagTarget): ActionCommand<FlagInput> {
  const on = action === 'on';
  const cmd: ActionCommand<FlagInput> = {
    kind: 'action',
    name: `flag ${action}`,
    summary: on
      ? `Turn the rollout flag (${FLAG_VAR}) on; production needs a second operator's approval`
      : `Kill switch: turn ${FLAG_VAR} off at once, announced in the channel`,
    usage: `flag ${action} <env> [at YYYY-MM-DD HH:MM | in 2h] [--reason "…"] [--force] [--dry-run]${on ? ' [--break-glass]' : ''}`,
    examples: on
      ? [
          'flag on staging --reason "try the new routes"',
          'flag on production at 2026-12-08 09:00',
          'flag on production --dry-run',
        ]
      : ['flag off production --reason "5xx spike"', 'flag off staging in 2h --reason "end of the test window"'],
    permission: 'operator',
    approverRole: 'operator',
    // The kill switch never waits behind other changes.
    urgent: !on,
    queueable: on,
    // issue 23 §2: an admin may skip the second person on `flag on`; the kill switch never needs one.
    breakGlass: on,
    approval: (input, env) => input.action === 'on' && env?.requiresApproval === true,
    envOf: (input) => input.env,
    options: [
      { name: 'reason', kind: 'value' },
      { name: 'force', kind: 'flag' },
    ],
    // The environment, then `at <date> <time>` or `in <duration>`.
    maxPositionals: 4,
    parse: (args) => parseChange(action, args),

    async plan(input, ctx): Promise<Plan> {
      // Scheduled: the plan says when, and what the change would do if it ran now.
      if (input.when) return planScheduled(scheduled(input), ctx, () => cmd.plan({ ...input, when: undefined }, ctx));
      const env = resolveEnv(ctx, input.env ?? '');
      const staging =
        input.action === 'on' && env.production
          ? ctx.environments.filter((e) => !e.production && e.name !== env.name)
          : [];
      // Only `flag on` checks the code is there (issue 23 §7); the kill switch reads nothing more and never waits.
      const [vars, releases, stagingValues, lock, code] = await Promise.all([
        ctx.heroku.getConfigVars(env.herokuApp),
        ctx.heroku.listReleases(env.herokuApp, 1),
        Promise.all(
          staging.map(async (s) => ({
            name: s.name,
            value: readFlag((await ctx.heroku.getConfigVars(s.herokuApp))[FLAG_VAR]),
          })),
        ),
        input.action === 'off' ? ctx.store.locks.get(env.name, ctx.clock.now()) : null,
        input.action === 'on' ? ctx.changePlans?.flagOn?.(env, ctx) : undefined,
      ]);
      const current = releases[0] ?? null;
      const plan = planFlagChange({
        target: input.action,
        env,
        current: readFlag(vars[FLAG_VAR]),
        version: current?.version ?? null,
        releaseId: current?.id ?? null,
        staging: stagingValues,
        requesterId: ctx.caller.userId,
        reason: input.reason,
        force: input.force,
        onInFlight: lock?.kind === 'flag' && lock.reason === 'flag on' ? { holderId: lock.holderId } : null,
      });
      return code && !plan.noop ? withCodeCheck(plan, code, env, input, ctx) : plan;
    },

    execute: (plan, input, ctx) =>
      input.when ? executeScheduled(plan, scheduled(input), ctx) : changeFlag(plan, ctx, input.reason),

    settle: (plan, _input, ctx) => settleFlag(plan, ctx),
  };
  return cmd;
}

export const flagOnCommand = flagChange('on');
export const flagOffCommand = flagChange('off');

/** `/autorisen flag status [env]`: read-only, open to viewers. */
export const flagStatusCommand: QueryCommand<{ env: string | null }> = {
  kind: 'query',
  name: 'flag status',
  summary: `Show ${FLAG_VAR} per environment: value, last change and by whom, current release`,
  usage: 'flag status [env]',
  examples: ['flag status', 'flag status production'],
  permission: 'viewer',
  maxPositionals: 1,
  parse(args) {
    const [env, extra] = args.positional;
    if (extra !== undefined) return { ok: false, error: `Unexpected "${extra}": give at most one environment.` };
    return { ok: true, input: { env: env ?? null } };
  },
  async run(input, ctx) {
    const envs = input.env ? [resolveEnv(ctx, input.env)] : [...ctx.environments];
    if (envs.length === 0)
      throw new AppError(
        'config_invalid',
        "No environments are configured; add them under `environments:` in the bot's config file.",
      );
    // A production gate waived in the config is shown wherever its flag is (issue 9 §3).
    const text = [await flagStatusText(ctx, envs), ...waivedGateWarnings(envs)].join('\n');
    return {
      text: `Rollout flag ${FLAG_VAR}:\n${text}`,
      blocks: [
        { type: 'section', text: `*Rollout flag ${FLAG_VAR}*` },
        { type: 'section', text },
      ],
    };
  },
};

/** Add the code check to a `flag on` plan; in production a failed check refuses (admin --force overrides). */
function withCodeCheck(
  plan: Plan,
  code: FlagOnReadiness,
  env: EnvironmentConfig,
  input: FlagInput,
  ctx: CommandContext,
): Plan {
  const admitted = admitFlagOn(code, {
    env: env.name,
    production: env.production,
    force: input.force,
    admin: ctx.caller.role === 'admin',
  });
  return { ...plan, lines: [...plan.lines, ...admitted.lines], warnings: [...plan.warnings, ...admitted.warnings] };
}

function scheduled(input: FlagInput): ScheduledInput {
  return { action: input.action, env: input.env, reason: input.reason, force: input.force, when: input.when! };
}

function resolveEnv(ctx: CommandContext, name: string): EnvironmentConfig {
  return requireEnvironment(ctx, name);
}
