import type { Config } from '../../config.ts';
import { FLAG_VAR } from '../../core/flag.ts';
import type { Store } from '../../ports/store.ts';
import { changeOf, recentRuns } from '../deploys/run-history.ts';
import type { GuardedChange, GuardService } from './guard-service.ts';

/** Flag flips older than this when first seen get no guard (e.g. the bot was down through them). */
const DISCOVER_WITHIN_MS = 5 * 60_000;
/** How many recent workflow runs are read for deploys and releases in flight. */
const RUN_ROWS = 20;

type Deps = {
  store: Pick<Store, 'releases' | 'workflows' | 'guards'>;
  config: Pick<Config, 'guard' | 'environments'>;
  guards: Pick<GuardService, 'start'>;
};

/**
 * Start a guard on every change of a guarded environment that has none yet; the guard's unique
 * change key makes a second instance's (or a second look's) start a no-op. Returns how many started.
 * - A recent `flag on`, from the flag history that `flag on` and the kill switch write (source
 *   "flag", value "true", the newest release): reading the history rather than hooking the command
 *   means a direct, an approved and a restart-settled `flag on` are guarded the same way.
 * - A deploy or release run still going that has put its release there (a build or a promotion
 *   left `{ env, version }` in its data): it watches through the run's bake and after, with the
 *   `deploy`/`release` action, and speaks in the run's thread.
 */
export async function discoverChanges(deps: Deps, now: number): Promise<number> {
  const runs = (await recentRuns(deps.store, RUN_ROWS)).filter(
    (r) => (r.workflow === 'deploy' || r.workflow === 'release') && (r.state === 'running' || r.state === 'waiting'),
  );
  const found: GuardedChange[] = [];
  for (const cfg of deps.config.guard.environments) {
    const env = deps.config.environments.find((e) => e.name === cfg.env);
    if (!cfg.enabled || !env) continue;
    const [r] = await deps.store.releases.list(env.herokuApp, 1);
    if (r && r.source === 'flag' && r.flagValue === 'true' && now - r.at <= DISCOVER_WITHIN_MS)
      found.push({
        env: env.name,
        kind: 'flag',
        changeKey: `flag:${env.name}:v${r.version}`,
        label: `${FLAG_VAR} went on (v${r.version})`,
        at: r.at,
        thread: null,
        releaseVersion: r.version,
      });
    for (const run of runs) {
      const c = changeOf(run, env.name);
      if (!c || c.version === null) continue;
      const kind = c.workflow === 'release' ? 'release' : 'deploy';
      found.push({
        env: env.name,
        kind,
        changeKey: `${c.workflow}:${c.runId}:${env.name}`,
        label: `the ${kind} of ${c.sha ? c.sha.slice(0, 7) : (c.ref ?? '?')} (v${c.version})`,
        at: Math.min(now, c.updatedAt),
        thread: c.thread,
        releaseVersion: c.version,
      });
    }
  }
  let started = 0;
  for (const change of found) if (await deps.guards.start(change)) started++;
  return started;
}
