import { addedMigrations, destructiveReasons } from '../../core/deploys.ts';
import type { GitHubPort, RepoRef } from '../../ports/github.ts';

/** The Alembic migrations between two commits: every one added, and those that do more than add. */
export interface MigrationsBetween {
  added: string[];
  /** "<file> <reasons>" for each added migration that drops or alters. */
  destructive: string[];
}

/**
 * Read the migrations `sha` adds over `base` and what each does (the release's migrations gate and
 * the checklist's first item ask the same question). Throws what GitHub throws.
 */
export async function migrationsBetween(
  github: Pick<GitHubPort, 'compare' | 'getFile'>,
  repo: RepoRef,
  base: string,
  sha: string,
): Promise<MigrationsBetween> {
  const cmp = await github.compare(repo, base, sha);
  const added = addedMigrations(cmp.files);
  const destructive: string[] = [];
  for (const path of added) {
    const reasons = destructiveReasons(path, await github.getFile(repo, sha, path));
    if (reasons.length > 0) destructive.push(`${path.split('/').at(-1)} ${reasons.join('; ')}`);
  }
  return { added, destructive };
}

/** Why the migrations cannot be checked when the commit `env` runs is unknown (said by the gate and the checklist alike). */
export const unknownBaseText = (env: string): string =>
  `the commit ${env} runs is unknown, so the migrations in between cannot be checked. Deploy ${env} once with \`/autorisen deploy\`.`;
