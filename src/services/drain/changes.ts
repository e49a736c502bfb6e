import type { EnvironmentConfig } from '../../config.ts';
import type { ChangeMark } from '../../core/drain/stats.ts';
import type { Store } from '../../ports/store.ts';
import { recentChanges } from '../deploys/run-history.ts';

/** How many recent rows of each history are looked at (changes are rare; this covers days). */
const HISTORY_ROWS = 50;

/**
 * Deploys, rollbacks and releases (the bot's workflow runs, with their Slack thread) and flag flips
 * (release history, source "flag") of `env` in [since, until), oldest first.
 */
export async function changesBetween(
  store: Pick<Store, 'workflows' | 'releases'>,
  env: Pick<EnvironmentConfig, 'name' | 'herokuApp'>,
  since: number,
  until: number,
): Promise<ChangeMark[]> {
  const out: ChangeMark[] = [];
  for (const c of await recentChanges(store, env.name, HISTORY_ROWS)) {
    // A release counts from its promotion; a run that stopped after releasing still changed what runs.
    if (c.version === null) continue;
    const at = c.finishedAt ?? c.updatedAt;
    if (at < since || at >= until) continue;
    const version = ` (v${c.version})`;
    out.push({
      env: env.name,
      kind: c.workflow === 'rollback' ? 'rollback' : 'deploy',
      at,
      label:
        c.workflow === 'rollback'
          ? `the rollback to v${c.targetVersion ?? '?'}${version}`
          : `the ${c.workflow === 'release' ? 'release' : 'deploy'} of ${c.sha ? c.sha.slice(0, 7) : (c.ref ?? '?')}${version}`,
      key: `${c.workflow}:${c.runId}`,
      thread: c.thread,
    });
  }
  for (const r of await store.releases.list(env.herokuApp, HISTORY_ROWS)) {
    if (r.source !== 'flag' || r.at < since || r.at >= until) continue;
    const state =
      r.flagValue === 'true' ? 'went on' : r.flagValue === 'false' ? 'went off' : `was set to ${r.flagValue}`;
    out.push({
      env: env.name,
      kind: 'flag',
      at: r.at,
      label: `FEATURE_AUTORISEN ${state}`,
      key: `flag:${env.name}:v${r.version}`,
      thread: null,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}
