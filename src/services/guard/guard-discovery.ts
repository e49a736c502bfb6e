import type { Config } from '../../config.ts';
import { FLAG_VAR } from '../../core/flag.ts';
import type { Store } from '../../ports/store.ts';
import { changeOf, recentRuns } from '../run-history.ts';
import type { GuardService } from './guard-service.ts';

/** Flag flips older than this when first seen get no guard (e.g. the bot was down through them). */
const DISCOVER_WITHIN_MS = 5 * 60_000;
const HISTORY_ROWS = 10;

/**
 * Start a guard on every recent `flag on` of a guarded environment, from the flag history the kill
 * switch and `flag on` write (source "flag", value "true"). Reading the history rather than hooking
 * the command means an approved `flag on`, a direct one and one settled after a restart are all
 * guarded the same way, and the guard's unique change key makes a second instance's start a no-op.
 */
export async function discoverFlagFlips(
  store: Pick<Store, 'releases' | 'guards'>,
  config: Pick<Config, 'guard' | 'environments'>,
  guards: Pick<GuardService, 'start'>,
  now: number,
): Promise<number> {
  let started = 0;
  for (const cfg of config.guard.environments) {
    if (!cfg.enabled) continue;
    const env = config.environments.find((e) => e.name === cfg.env);
    if (!env) continue;
    const releases = await store.releases.list(env.herokuApp, HISTORY_ROWS);
    const newest = releases[0];
    for (const r of releases) {
      if (r.source !== 'flag' || r.flagValue !== 'true' || now - r.at > DISCOVER_WITHIN_MS || r !== newest) continue;
      const g = await guards.start({
        env: env.name,
        kind: 'flag',
        changeKey: `flag:${env.name}:v${r.version}`,
        label: `${FLAG_VAR} went on (v${r.version})`,
        at: r.at,
        thread: null,
        releaseVersion: r.version,
      });
      if (g) started++;
    }
  }
  return started;
}

/** How many recent workflow runs are read for deploys and releases in flight. */
const RUN_ROWS = 20;

/**
 * Start a guard on every deploy or release run of a guarded environment that is still going and has
 * put its release there (a build or a promotion left `{ env, version }` in its data): it watches
 * through the run's bake and after, with the `deploy`/`release` action (notify unless opted into
 * rollback). The run's own thread is where it speaks.
 */
export async function discoverRollouts(
  store: Pick<Store, 'workflows' | 'guards'>,
  config: Pick<Config, 'guard' | 'environments'>,
  guards: Pick<GuardService, 'start'>,
  now: number,
): Promise<number> {
  let started = 0;
  const runs = (await recentRuns(store, RUN_ROWS)).filter(
    (r) => (r.workflow === 'deploy' || r.workflow === 'release') && (r.state === 'running' || r.state === 'waiting'),
  );
  for (const cfg of config.guard.environments) {
    if (!cfg.enabled) continue;
    for (const run of runs) {
      const c = changeOf(run, cfg.env);
      if (!c || c.version === null) continue;
      const what = c.workflow === 'release' ? 'release' : 'deploy';
      const g = await guards.start({
        env: cfg.env,
        kind: what,
        changeKey: `${c.workflow}:${c.runId}:${cfg.env}`,
        label: `the ${what} of ${c.sha ? c.sha.slice(0, 7) : (c.ref ?? '?')} (v${c.version})`,
        at: Math.min(now, c.updatedAt),
        thread: c.thread,
        releaseVersion: c.version,
      });
      if (g) started++;
    }
  }
  return started;
}
