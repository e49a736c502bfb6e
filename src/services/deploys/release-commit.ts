import {
  promotionFromReleaseDescription,
  shaFromReleaseDescription,
  versionFromRollbackDescription,
} from '../../core/deploys.ts';
import type { EnvironmentConfig } from '../../core/environment.ts';
import type { GitHubPort } from '../../ports/github.ts';
import type { HerokuPort, HerokuRelease } from '../../ports/heroku.ts';

/** How many releases a lookup follows before it gives up (a long run of config changes, say). */
export const RELEASE_LOOKBACK = 30;

/** The Heroku reads a lookup needs. */
export type ReleaseReads = Pick<HerokuPort, 'getRelease' | 'getSlug'>;

/**
 * Which commit release `start` of `app` runs: the one answer the deploy plan, the release gates,
 * the checklist, `/autorisen releases` and Home all use (issue 19 item 1).
 * - a build ("Deploy 69eec518"): the sha of its description, abbreviated as Heroku writes it;
 * - a pipeline promotion ("Promote autorisen v12"): its slug's `commit` (GET /apps/{app}/slugs/{id},
 *   the full sha the build was made from), else what the source app's release runs;
 * - a rollback ("Rollback to v41"): what its target runs;
 * - anything else (config vars, add-ons): what its predecessor runs, as they keep the slug.
 * Null when that is unknown: the chain leaves the lookback or the app's history, or a read fails.
 * `known` are releases of `app` already read (saves a request per hop).
 */
export async function commitOfRelease(
  heroku: ReleaseReads,
  app: string,
  start: HerokuRelease,
  known: readonly HerokuRelease[] = [],
): Promise<string | null> {
  let at = app;
  let cached = known;
  let rel: HerokuRelease | undefined = start;
  for (let hops = 0; rel && hops < RELEASE_LOOKBACK; hops += 1) {
    const sha = shaFromReleaseDescription(rel.description);
    if (sha) return sha;
    const promotion = promotionFromReleaseDescription(rel.description);
    let next: number;
    if (promotion) {
      const commit = await slugCommit(heroku, at, rel.slugId);
      if (commit) return commit;
      // No commit on the slug (one made without a source version): ask the app it came from.
      [at, cached, next] = [promotion.app, [], promotion.version];
    } else next = versionFromRollbackDescription(rel.description) ?? rel.version - 1;
    if (next < 1) return null;
    const of = at;
    rel = cached.find((r) => r.version === next) ?? (await heroku.getRelease(of, next).catch(() => undefined));
  }
  return null;
}

async function slugCommit(heroku: ReleaseReads, app: string, slugId: string | null): Promise<string | null> {
  if (!slugId || !heroku.getSlug) return null;
  const slug = await heroku.getSlug(app, slugId).catch(() => null);
  return slug?.commit ?? null;
}

/** The commit of each of one app's `releases`, by version; a release leading to one already answered reuses it. */
export async function commitsOfReleases(
  heroku: ReleaseReads,
  app: string,
  releases: readonly HerokuRelease[],
): Promise<Map<number, string | null>> {
  const out = new Map<number, string | null>();
  // Oldest first, so a config release or a rollback finds the release it leads to answered already.
  for (const r of [...releases].sort((a, b) => a.version - b.version)) {
    const leadsTo =
      shaFromReleaseDescription(r.description) || promotionFromReleaseDescription(r.description)
        ? undefined
        : (versionFromRollbackDescription(r.description) ?? r.version - 1);
    const answered = leadsTo === undefined ? undefined : out.get(leadsTo);
    out.set(r.version, answered !== undefined ? answered : await commitOfRelease(heroku, app, r, releases));
  }
  return out;
}

/**
 * The full sha of the commit `env` runs now, or null when unknown: its current release's commit
 * (above), expanded by GitHub. The release gates, a promotion's pin and the checklist ask this.
 */
export async function runningSha(
  ports: { heroku: HerokuPort; github: Pick<GitHubPort, 'getCommit'> },
  env: EnvironmentConfig,
): Promise<string | null> {
  const releases = await ports.heroku.listReleases(env.herokuApp, 10);
  const current = releases.find((r) => r.current) ?? releases[0];
  if (!current) return null;
  const short = await commitOfRelease(ports.heroku, env.herokuApp, current, releases);
  if (!short) return null;
  return (await ports.github.getCommit(env.github, short).catch(() => null))?.sha ?? null;
}
