import type { EnvironmentConfig } from '../../core/environment.ts';
import { shaFromReleaseDescription } from '../../core/deploys.ts';
import type { HerokuPort, HerokuRelease } from '../../ports/heroku.ts';
import { commitOfRelease } from '../deploys/release-commit.ts';

/** What runs on an environment, as the drift digest needs it. */
export interface RunningCommit {
  /** The commit (as short as the release description gives it); null when the releases do not say. */
  sha: string | null;
  /** When the release that brought that commit was made (ms); null when not in the releases read. */
  since: number | null;
}

/**
 * "Which commit runs here" for the digest: the shared lookup (`commitOfRelease`: builds, promotions,
 * rollbacks and config releases), and when the deploy carrying it was made.
 */
export async function runningCommit(
  heroku: HerokuPort,
  env: EnvironmentConfig,
  releases: readonly HerokuRelease[],
): Promise<RunningCommit> {
  const current = releases.find((r) => r.current) ?? releases[0];
  if (!current) return { sha: null, since: null };
  const sha = await commitOfRelease(heroku, env.herokuApp, current, releases);
  if (!sha) return { sha: null, since: null };
  const deploy = [...releases].reverse().find((r) => sameCommit(shaFromReleaseDescription(r.description), sha));
  const at = Date.parse((deploy ?? current).createdAt);
  return { sha, since: Number.isNaN(at) ? null : at };
}

/** Two shas name one commit when one is a prefix of the other (release descriptions abbreviate, slugs do not). */
export function sameCommit(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}
