import type { ActionCommand } from '../src/ports/command.ts';
import { AppError } from '../src/errors.ts';
import { type GateContinuation, gated, withBreakGlass, workflowsOf } from '../src/ports/workflow-command.ts';

/** `/autorisen release [ref]`; `continueRun` is set only by the production gate's approval, never parsed. */
export interface ReleaseCommandInput extends GateContinuation {
  ref: string | null;
  allowDestructive: boolean;
}

const FLAGS = new Set(['dry-run', 'allow-destructive']);

/** `/autorisen release [ref] [--dry-run] [--allow-destructive]`: the whole runbook from staging to production. */
export const releaseCommand: ActionCommand<ReleaseCommandInput> = gated<ReleaseCommandInput>({
  kind: 'action',
  name: 'release',
  queueable: true,
  breakGlass: true,
  summary: 'Release a commit: CI, migration and API gates, staging, bake, approval, backup, promotion, watch',
  usage: 'release [ref] [--dry-run] [--allow-destructive] [--break-glass --reason "…"]',
  examples: ['release', 'release v2.5.0 --dry-run', 'release 69eec518 --allow-destructive'],
  permission: 'operator',
  // The production approval is a gate inside the release, asked for when staging has proved the build.
  approval: 'never',
  envOf: () => null,
  options: [{ name: 'allow-destructive', kind: 'flag' }],
  maxPositionals: 1,
  parse(args) {
    const [ref, ...extra] = args.positional;
    if (extra.length > 0)
      return { ok: false, error: `release takes at most one ref; got "${extra.join(' ')}" as well.` };
    const unknown = Object.keys(args.flags).filter((f) => !FLAGS.has(f));
    if (unknown.length > 0)
      return {
        ok: false,
        error: `release does not know --${unknown.join(', --')}; it takes --dry-run and --allow-destructive.`,
      };
    return { ok: true, input: { ref: ref ?? null, allowDestructive: args.flags['allow-destructive'] === true } };
  },
  async plan(input, ctx) {
    const prod = ctx.environments.find((e) => e.production);
    if (!prod)
      throw new AppError(
        'config_invalid',
        'No environment is marked `production: true`, so there is nowhere to release to.',
      );
    const ref = input.ref ?? prod.branch;
    const commit = await ctx.github.getCommit({ owner: prod.github.owner, repo: prod.github.repo }, ref);
    const request = { ref, sha: commit.sha, allowDestructive: input.allowDestructive };
    const lines = await workflowsOf(ctx).preview('release', request, ctx);
    return {
      title: `Release ${ref === commit.sha ? commit.sha.slice(0, 7) : `${ref} (${commit.sha.slice(0, 7)})`}`,
      lines,
      warnings: input.allowDestructive
        ? ['--allow-destructive: destructive migrations pass, and an admin must approve production.']
        : [],
      env: prod.name,
      data: request,
      fingerprint: commit.sha,
    };
  },
  // Break-glass (issue 23 §2) rides on the request: the production gate then asks nobody.
  execute: (plan, _input, ctx) => workflowsOf(ctx).start('release', withBreakGlass(plan.data, ctx), ctx),
});
