import type { ActionCommand, CommandContext } from '../src/core/command.ts';
import { AppError } from '../src/errors.ts';
import type { DeployInput, DeployPort } from '../src/ports/deploys.ts';

/** The deploy service from the context; absent only in builds that do not wire deploys. */
export function deploysOf(ctx: CommandContext): DeployPort {
  if (!ctx.deploys) throw new AppError('internal', 'Deploys are not set up in this instance of the bot.');
  return ctx.deploys;
}

/** `/autorisen deploy <env> [ref] [--dry-run]`: build a commit on Heroku, backed up, verified and followed in a thread. */
export const deployCommand: ActionCommand<DeployInput> = {
  kind: 'action',
  name: 'deploy',
  summary: 'Deploy a branch, tag or commit to an environment (backup, build, health check)',
  usage: 'deploy <env> [ref] [--dry-run]',
  examples: ['deploy staging', 'deploy production v2.4.0 --dry-run', 'deploy production 69eec518'],
  permission: 'operator',
  // Production needs a second operator; staging follows its `requires_approval` setting.
  approval: (_input, env) => env?.requiresApproval ?? true,
  envOf: (input) => input.env,
  maxPositionals: 2,
  parse(args) {
    const [env, ref, ...extra] = args.positional;
    if (!env) return { ok: false, error: 'Which environment? e.g. `deploy staging`.' };
    if (extra.length > 0)
      return { ok: false, error: `deploy takes an environment and at most one ref; got "${extra.join(' ')}" as well.` };
    return { ok: true, input: { env, ref: ref ?? null } };
  },
  plan: (input, ctx) => deploysOf(ctx).planDeploy(input, ctx),
  execute: (plan, _input, ctx) => deploysOf(ctx).execute(plan, ctx),
};
