import type { EnvironmentConfig } from '../src/config.ts';
import type { ActionCommand, CommandContext, Plan } from '../src/core/command.ts';
import { FLAG_VAR, planFlagChange, readFlag, type FlagTarget } from '../src/core/flag.ts';
import { roleAtLeast } from '../src/core/roles.ts';
import { AppError } from '../src/errors.ts';
import { executeFlag } from './flag-execute.ts';
import { flagStatusText } from './flag-status.ts';

/** Parsed `/autorisen flag …`. JSON-serialisable: it is stored with an approval request. */
export interface FlagInput {
  action: 'status' | FlagTarget;
  env: string | null;
  reason: string | null;
  force: boolean;
}

/** Longest --reason kept (it is shown in the approval message and the audit log). */
const MAX_REASON = 300;

/**
 * `/autorisen flag status [env]`, `flag on <env>`, `flag off <env>`: the rollout flag on Heroku.
 * One command because the registry routes on the first word; `status` is read-only and open to
 * viewers, so the role for on/off (operator) is checked in plan(). On needs a second operator's
 * approval where the environment requires it; off is the kill switch and never waits for one.
 */
export const flagCommand: ActionCommand<FlagInput> = {
  kind: 'action',
  name: 'flag',
  summary: `Show or flip the rollout flag (${FLAG_VAR}) on an environment's Heroku app`,
  usage: 'flag status [env] | flag on <env> [--reason "…"] [--force] [--dry-run] | flag off <env> [--reason "…"] [--force]',
  examples: ['flag status', 'flag on staging --reason "try the new routes"', 'flag on production --dry-run', 'flag off production --reason "5xx spike"'],
  permission: 'viewer',
  approverRole: 'operator',
  approval: (input, env) => input.action === 'on' && env?.requiresApproval === true,
  envOf: (input) => input.env,

  parse(args) {
    const [action = 'status', env, extra] = args.positional;
    if (action !== 'status' && action !== 'on' && action !== 'off') {
      return { ok: false, error: `Expected \`status\`, \`on\` or \`off\` after \`flag\`; got "${action}".` };
    }
    if (extra !== undefined) return { ok: false, error: `Unexpected "${extra}"; quote a reason with --reason "…".` };
    if (action !== 'status' && !env) return { ok: false, error: `Which environment? e.g. \`/autorisen flag ${action} staging\`.` };
    const reason = args.flags.reason;
    if (reason === true) return { ok: false, error: '--reason needs a text, e.g. --reason "error rate is back to normal".' };
    if (reason !== undefined && reason.length > MAX_REASON) return { ok: false, error: `--reason is limited to ${MAX_REASON} characters.` };
    return { ok: true, input: { action, env: env ?? null, reason: reason?.trim() || null, force: args.flags.force === true } };
  },

  async plan(input, ctx): Promise<Plan> {
    const envs = input.env ? [resolveEnv(ctx, input.env)] : [...ctx.environments];
    if (input.action === 'status') {
      if (envs.length === 0) throw new AppError('config_invalid', 'No environments are configured; add them under `environments:` in the bot\'s config file.');
      const text = await flagStatusText(ctx, envs);
      // Read-only: the dispatcher shows `noop` as the answer and changes nothing.
      return { title: 'Rollout flag status', lines: [], warnings: [], env: input.env ? envs[0]!.name : null, data: null, fingerprint: '', noop: `Rollout flag ${FLAG_VAR}:\n${text}` };
    }
    if (!roleAtLeast(ctx.caller.role, 'operator')) {
      throw new AppError('forbidden', `Turning the rollout flag ${input.action} needs the operator role; you are a ${ctx.caller.role}. \`/autorisen flag status\` is open to you; ask an operator to flip it.`);
    }
    const env = envs[0]!;
    const staging = input.action === 'on' && env.production ? ctx.environments.filter((e) => !e.production && e.name !== env.name) : [];
    const [vars, releases, stagingValues] = await Promise.all([
      ctx.heroku.getConfigVars(env.herokuApp),
      ctx.heroku.listReleases(env.herokuApp, 1),
      Promise.all(staging.map(async (s) => ({ name: s.name, value: readFlag((await ctx.heroku.getConfigVars(s.herokuApp))[FLAG_VAR]) }))),
    ]);
    const current = releases[0] ?? null;
    return planFlagChange({
      target: input.action, env, current: readFlag(vars[FLAG_VAR]), version: current?.version ?? null, releaseId: current?.id ?? null,
      staging: stagingValues, requesterId: ctx.caller.userId, reason: input.reason, force: input.force,
    });
  },

  async execute(plan, input, ctx) {
    return executeFlag(plan, ctx, input.reason);
  },
};

function resolveEnv(ctx: CommandContext, name: string): EnvironmentConfig {
  const env = ctx.env(name);
  if (!env) {
    const known = ctx.environments.map((e) => e.name).join(', ') || 'none configured';
    throw new AppError('not_found', `There is no environment "${name}". Configured: ${known}.`);
  }
  return env;
}
