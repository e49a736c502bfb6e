import { requireEnvironment } from '../../core/environment.ts';
import type { EnvironmentConfig } from '../../config.ts';
import type { CommandContext, Plan } from '../../ports/command.ts';
import { lockedMessage, authorsOf, deployFingerprint, firstLine, renderCommits } from '../../core/deploys.ts';
import { AppError } from '../../errors.ts';
import type { DeployInput, RollbackInput } from '../../ports/deploys.ts';
import type { GitCommit, RepoRef } from '../../ports/github.ts';
import { escapeMrkdwn } from '../../core/mrkdwn.ts';
import { migrationFindings, specSummary } from './plan-findings.ts';
import { commitOfRelease } from './release-commit.ts';
import { rollbackFlagFindings } from './rollback-flag.ts';
import { FLAG_VAR } from '../../core/flag.ts';
import { type RollbackFlag, rollbackFlagOf } from '../../core/flag-at-release.ts';

/** The flag a rollback silently restores with the old release's config vars (issue 5 §5). */
export { FLAG_VAR };

/** The data execute() needs, stored in the plan (and the approval) as JSON. */
export interface DeployPlanData {
  kind: 'deploy' | 'rollback';
  env: string;
  ref: string | null;
  sha: string | null;
  previousVersion: number | null;
  targetReleaseId: string | null;
  targetVersion: number | null;
  backup: boolean;
  /** A rollback's effect on the rollout flag (issue 23 §6); null for deploys. */
  flag: RollbackFlag | null;
}

/** Narrow a plan's data back (it has been through JSON in the approval store). */
export function planData(plan: Plan): DeployPlanData {
  return planDataOf(plan.data);
}

/** Narrow a deploy or rollback plan's data back from JSON. */
export function planDataOf(data: unknown): DeployPlanData {
  const d = data as Partial<DeployPlanData> | null;
  if (!d || (d.kind !== 'deploy' && d.kind !== 'rollback') || typeof d.env !== 'string')
    throw new AppError('internal', 'This plan is not a deploy or rollback plan.');
  return {
    kind: d.kind,
    env: d.env,
    ref: d.ref ?? null,
    sha: d.sha ?? null,
    previousVersion: d.previousVersion ?? null,
    targetReleaseId: d.targetReleaseId ?? null,
    targetVersion: d.targetVersion ?? null,
    backup: d.backup === true,
    flag: rollbackFlagOf(d),
  };
}

export { lockedMessage };

/** Refuse early, while planning, when someone holds the environment (the runner re-checks atomically). */
export async function refuseIfLocked(ctx: CommandContext, env: string): Promise<void> {
  const lock = await ctx.store.locks.get(env, ctx.clock.now());
  if (lock) throw new AppError('locked', lockedMessage(env, lock), { env });
}

const repoOf = (env: EnvironmentConfig): RepoRef => ({ owner: env.github.owner, repo: env.github.repo });

/** Resolve a possibly short sha to its commit; null when GitHub does not know it. */
async function commitOrNull(ctx: CommandContext, repo: RepoRef, sha: string | null): Promise<GitCommit | null> {
  if (!sha) return null;
  try {
    return await ctx.github.getCommit(repo, sha);
  } catch (err) {
    if (err instanceof AppError && err.code === 'github_not_found') return null;
    throw err;
  }
}

/** Plan `/autorisen deploy <env> [ref]`, reading only. */
export async function planDeploy(input: DeployInput, ctx: CommandContext): Promise<Plan> {
  const env = requireEnvironment(ctx, input.env);
  await refuseIfLocked(ctx, env.name);
  const repo = repoOf(env);
  const ref = input.ref ?? env.branch;
  const target = await ctx.github.getCommit(repo, ref);
  const releases = await ctx.heroku.listReleases(env.herokuApp, 10);
  const current = releases.find((r) => r.current) ?? releases[0] ?? null;
  const runningShort = current ? await commitOfRelease(ctx.heroku, env.herokuApp, current, releases) : null;
  const running = await commitOrNull(ctx, repo, runningShort);
  const title = `Deploy ${ref === target.sha ? target.sha.slice(0, 7) : `${ref} (${target.sha.slice(0, 7)})`} to ${env.name} (${env.herokuApp})`;
  const lines: string[] = [
    `Commit: \`${target.sha.slice(0, 7)}\` ${firstLine(target.message)} (${escapeMrkdwn(target.author)})`,
  ];
  const warnings: string[] = [];
  lines.push(
    current
      ? `Running now: v${current.version}${running ? `, \`${running.sha.slice(0, 7)}\` ${firstLine(running.message)}` : ' (commit unknown)'}`
      : 'Running now: no release yet',
  );
  const base = { title, env: env.name, fingerprint: deployFingerprint(current?.version ?? null, target.sha) };
  const data: DeployPlanData = {
    kind: 'deploy',
    env: env.name,
    ref,
    sha: target.sha,
    previousVersion: current?.version ?? null,
    targetReleaseId: null,
    targetVersion: null,
    backup: env.backupBeforeDeploy,
    flag: null,
  };
  if (running && running.sha === target.sha)
    return {
      ...base,
      lines,
      warnings,
      data,
      noop: `${env.name} already runs ${target.sha.slice(0, 7)} (v${current?.version}).`,
    };
  if (running) {
    const cmp = await ctx.github.compare(repo, running.sha, target.sha);
    if (cmp.status === 'behind' || cmp.status === 'diverged') {
      warnings.push(
        `${target.sha.slice(0, 7)} is ${cmp.status} ${running.sha.slice(0, 7)}: deploying it removes ${cmp.behindBy} commit(s) that run now.`,
      );
    }
    lines.push(`Commits: ${cmp.aheadBy} new, by ${authorsOf(cmp.commits).join(', ') || 'nobody'} (${cmp.url})`);
    lines.push(...renderCommits(cmp.commits).map((l) => `   ${l}`));
    const mig = await migrationFindings(ctx, repo, target.sha, cmp.files);
    lines.push(...mig.lines);
    warnings.push(...mig.warnings);
    const spec = await specSummary(ctx, repo, running.sha, target.sha, cmp.files);
    lines.push(...spec.lines);
    warnings.push(...spec.warnings);
  } else {
    warnings.push(
      'The running commit is unknown, so the commits and migrations in between cannot be listed. Check them on GitHub before approving.',
    );
  }
  lines.push(
    env.backupBeforeDeploy
      ? 'Database backup: yes, taken first (the deploy stops if it fails)'
      : 'Database backup: no (not configured for this environment)',
  );
  lines.push(
    `Then: Heroku build from the GitHub tarball, and ${env.baseUrl}${env.healthPath} must answer 2xx within ${env.verifySeconds}s`,
  );
  return { ...base, lines, warnings, data };
}

/** Plan `/autorisen rollback <env> [version]`, reading only. */
export async function planRollback(input: RollbackInput, ctx: CommandContext): Promise<Plan> {
  const env = requireEnvironment(ctx, input.env);
  await refuseIfLocked(ctx, env.name);
  const app = env.herokuApp;
  const releases = await ctx.heroku.listReleases(app, 20);
  const current = releases.find((r) => r.current) ?? releases[0];
  if (!current) throw new AppError('not_found', `${app} has no releases to roll back to.`);
  const target =
    input.version !== null
      ? (releases.find((r) => r.version === input.version) ?? (await ctx.heroku.getRelease(app, input.version)))
      : releases.find((r) => r.version < current.version && r.status === 'succeeded');
  if (!target)
    throw new AppError(
      'not_found',
      `${app} has no earlier successful release than v${current.version} to roll back to. Name one: \`/autorisen rollback ${env.name} <version>\`.`,
    );
  const title = `Roll back ${env.name} (${app}) from v${current.version} to v${target.version}`;
  const repo = repoOf(env);
  const targetShort = await commitOfRelease(ctx.heroku, app, target, releases);
  const targetCommit = await commitOrNull(ctx, repo, targetShort).catch(() => null);
  const data: DeployPlanData = {
    kind: 'rollback',
    env: env.name,
    ref: null,
    sha: targetCommit?.sha ?? targetShort,
    previousVersion: current.version,
    targetReleaseId: target.id,
    targetVersion: target.version,
    backup: false,
    flag: null,
  };
  const base = { title, env: env.name, data, fingerprint: deployFingerprint(current.version, `rollback:${target.id}`) };
  if (target.version === current.version)
    return { ...base, lines: [], warnings: [], noop: `${env.name} is already on v${current.version}.` };
  if (target.status !== 'succeeded')
    throw new AppError(
      'conflict',
      `v${target.version} of ${app} is ${target.status}; Heroku can only roll back to a succeeded release.`,
    );
  const lines = [
    `Returns to: v${target.version} "${escapeMrkdwn(target.description)}"${targetCommit ? `, \`${targetCommit.sha.slice(0, 7)}\` ${firstLine(targetCommit.message)}` : targetShort ? `, \`${targetShort}\`` : ' (commit unknown)'}`,
  ];
  const warnings: string[] = [];
  const flag = await rollbackFlagFindings(ctx, env, releases, target.version, input.acceptFlagChange === true);
  data.flag = flag.flag;
  lines.push(...flag.lines);
  warnings.push(...flag.warnings);
  warnings.push('Database migrations are not rolled back.');
  lines.push(
    `Then: ${env.baseUrl}${env.healthPath} must answer 2xx within ${env.verifySeconds}s; ${env.name} stays locked afterwards until someone runs \`/autorisen unlock ${env.name}\``,
  );
  return { ...base, lines, warnings };
}
