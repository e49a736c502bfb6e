import type { EnvironmentConfig } from '../../core/environment.ts';
import { FLAG_VAR, lastChange, readFlag } from '../../core/flag.ts';
import type { GitHubPort } from '../../ports/github.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import type { LockInfo } from '../../ports/stores/locks.ts';
import type { WorkflowRun } from '../../ports/stores/workflows.ts';
import { changeOf, recentRuns } from '../deploys/run-history.ts';
import { runningCommit, sameCommit, type RunningCommit } from './running-commit.ts';

/** How many releases are read per environment (the flag's last change and the deploy of the running commit). */
const RELEASES_READ = 30;

export interface EnvDrift {
  name: string;
  /** null when Heroku could not be read. */
  flagOn: boolean | null;
  /** When the flag last changed (the release that did it), or the oldest release read when none did. */
  flagSince: number | null;
  commit: RunningCommit;
}

/** What the digest compares, read once a day (issue 23 §4). */
export interface DriftFacts {
  staging: EnvDrift;
  production: EnvDrift;
  /** Commits staging runs that production does not (GitHub compare); null when unknown. */
  stagingAheadBy: number | null;
  locks: LockInfo[];
  /** The newest run that changed production (deploy, rollback or release), if any. */
  lastProductionRun: WorkflowRun | null;
}

export interface DriftSources {
  heroku: HerokuPort;
  github: GitHubPort;
  store: Store;
  environments: readonly EnvironmentConfig[];
  rollout: { staging: string; production: string };
  log: Logger;
}

async function envDrift(s: DriftSources, env: EnvironmentConfig): Promise<EnvDrift> {
  try {
    const [vars, releases] = await Promise.all([
      s.heroku.getConfigVars(env.herokuApp),
      s.heroku.listReleases(env.herokuApp, RELEASES_READ),
    ]);
    const raw = vars[FLAG_VAR] ?? null;
    const change = lastChange(releases, new Map(), raw);
    const since = Date.parse(change?.at ?? releases.at(-1)?.createdAt ?? '');
    return {
      name: env.name,
      flagOn: readFlag(raw).state === 'on',
      flagSince: Number.isNaN(since) ? null : since,
      commit: await runningCommit(s.heroku, env, releases),
    };
  } catch (err) {
    s.log.warn({ err, env: env.name }, 'drift digest: could not read the environment');
    return { name: env.name, flagOn: null, flagSince: null, commit: { sha: null, since: null } };
  }
}

async function aheadBy(s: DriftSources, prod: EnvironmentConfig, staging: EnvDrift, production: EnvDrift) {
  if (!staging.commit.sha || !production.commit.sha) return null;
  if (sameCommit(staging.commit.sha, production.commit.sha)) return 0;
  try {
    const c = await s.github.compare(prod.github, production.commit.sha, staging.commit.sha);
    return c.status === 'ahead' || c.status === 'diverged' ? c.aheadBy : 0;
  } catch (err) {
    s.log.warn({ err }, 'drift digest: could not compare staging with production');
    return null;
  }
}

/** Read what the digest needs; a vendor that fails leaves its part unknown (never a drift line). */
export async function gatherDrift(s: DriftSources, now: number): Promise<DriftFacts | null> {
  const stagingEnv = s.environments.find((e) => e.name === s.rollout.staging);
  const productionEnv = s.environments.find((e) => e.name === s.rollout.production);
  if (!stagingEnv || !productionEnv) return null;
  const [staging, production] = await Promise.all([envDrift(s, stagingEnv), envDrift(s, productionEnv)]);
  const locks: LockInfo[] = [];
  for (const env of s.environments) {
    const lock = await s.store.locks.get(env.name, now);
    if (lock) locks.push(lock);
  }
  const runs = await recentRuns(s.store, 40);
  return {
    staging,
    production,
    stagingAheadBy: await aheadBy(s, productionEnv, staging, production),
    locks,
    lastProductionRun: runs.find((r) => changeOf(r, productionEnv.name) !== null) ?? null,
  };
}
