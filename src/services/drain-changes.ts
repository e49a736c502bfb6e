import type { EnvironmentConfig } from '../config.ts';
import type { ChangeMark } from '../core/drain-stats.ts';
import type { Store } from '../ports/store.ts';

/** How many recent rows of each history are looked at (changes are rare; this covers days). */
const HISTORY_ROWS = 50;

/**
 * Deploys, rollbacks (deploys store: the bot's own, with their Slack thread) and flag flips
 * (release history, source "flag") of `env` in [since, until), oldest first.
 */
export async function changesBetween(
  store: Pick<Store, 'deploys' | 'releases'>,
  env: Pick<EnvironmentConfig, 'name' | 'herokuApp'>,
  since: number,
  until: number,
): Promise<ChangeMark[]> {
  const out: ChangeMark[] = [];
  for (const d of await store.deploys.latest(env.name, HISTORY_ROWS)) {
    if (d.state !== 'succeeded') continue;
    const at = d.finishedAt ?? d.updatedAt;
    if (at < since || at >= until) continue;
    const version = d.releaseVersion !== null ? ` (v${d.releaseVersion})` : '';
    out.push({
      env: env.name,
      kind: d.kind,
      at,
      label:
        d.kind === 'rollback'
          ? `the rollback to v${d.targetVersion ?? '?'}${version}`
          : `the deploy of ${d.sha ? d.sha.slice(0, 7) : (d.ref ?? '?')}${version}`,
      key: `${d.kind}:${d.id}`,
      thread: d.statusChannel && d.statusTs ? { channel: d.statusChannel, ts: d.statusTs } : null,
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
