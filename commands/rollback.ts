import type { ActionCommand } from '../src/ports/command.ts';
import type { RollbackInput } from '../src/ports/deploys.ts';
import { settleRun } from '../src/ports/workflow-command.ts';
import { refuseUnacceptedFlagFlip } from '../src/core/flag-at-release.ts';
import { changePlansOf, startChange } from './deploy.ts';

/**
 * `/autorisen rollback <env> [version] [--accept-flag-change] [--dry-run]`: return to the previous (or
 * a named) Heroku release. A production rollback that flips the rollout flag runs only when approved
 * (the plan says so in bold) or accepted with --accept-flag-change (issue 23 §6).
 */
export const rollbackCommand: ActionCommand<RollbackInput> = {
  kind: 'action',
  name: 'rollback',
  queueable: true,
  breakGlass: true,
  summary: 'Roll an environment back to the previous release, or to a named version; it stays locked afterwards',
  usage: 'rollback <env> [version] [--accept-flag-change] [--dry-run] [--break-glass --reason "…"]',
  examples: [
    'rollback production',
    'rollback production v41',
    'rollback production v41 --accept-flag-change',
    'rollback staging 17 --dry-run',
  ],
  permission: 'operator',
  // An emergency measure: its work never waits behind other changes.
  urgent: true,
  approval: (_input, env) => env?.requiresApproval ?? true,
  envOf: (input) => input.env,
  options: [{ name: 'accept-flag-change', kind: 'flag' }],
  maxPositionals: 2,
  parse(args) {
    const acceptFlagChange = args.flags['accept-flag-change'] === true;
    const [env, v, ...extra] = args.positional;
    if (!env) return { ok: false, error: 'Which environment? e.g. `rollback production`.' };
    if (extra.length > 0)
      return {
        ok: false,
        error: `rollback takes an environment and at most one version; got "${extra.join(' ')}" as well.`,
      };
    if (v === undefined) return { ok: true, input: { env, version: null, acceptFlagChange } };
    const version = Number(v.replace(/^v/i, ''));
    if (!Number.isInteger(version) || version < 1)
      return {
        ok: false,
        error: `"${v}" is not a release version; use a number like 41 or v41 (see \`/autorisen releases ${env}\`).`,
      };
    return { ok: true, input: { env, version, acceptFlagChange } };
  },
  plan: (input, ctx) => changePlansOf(ctx).rollback(input, ctx),
  async execute(plan, input, ctx) {
    refuseUnacceptedFlagFlip(plan, {
      production: ctx.env(input.env)?.production === true,
      accepted: input.acceptFlagChange === true,
      approved: ctx.approval !== undefined,
      env: plan.env ?? input.env,
      command: `rollback ${input.env}${input.version !== null ? ` v${input.version}` : ''}`,
    });
    return startChange('rollback', plan, ctx);
  },
  settle: (plan, _input, ctx) => settleRun('rollback', plan, ctx),
};
