import type { EnvironmentConfig } from '../../config.ts';
import { describeContext } from '../../core/alerts/context.ts';
import { classifyRelease } from '../../core/alerts/heroku.ts';
import type { ChangeEvent } from '../../core/alerts/alerts.ts';
import type { AlertStore } from '../../ports/stores/alerts.ts';
import type { ReleaseRecord, ReleaseStore } from '../../ports/stores/releases.ts';

/** How many recent releases to read from the shared history for one context line. */
const RELEASES_TO_READ = 20;

/** A release from the flag/deploy history (issue 3) as a change event. */
export function changeFromRelease(r: ReleaseRecord): ChangeEvent {
  const base = { env: r.env, at: r.at, version: r.version, actor: r.actor };
  if (r.source === 'flag')
    return { ...base, kind: 'flag', commit: null, description: r.flagKnown ? (r.flagValue ?? 'off') : r.description };
  const c = classifyRelease(r.description);
  const kind = r.source === 'deploy' ? 'deploy' : r.source === 'rollback' ? 'rollback' : c.kind;
  return { ...base, kind, commit: c.commit, description: r.description };
}

/**
 * The context line for an alert first seen at `at` on `env`: changes the bot made (release history)
 * merged with those seen through Heroku api:release webhooks; the bot's own record wins per version.
 */
export async function contextFor(
  deps: {
    alerts: AlertStore;
    releases?: ReleaseStore;
    environments: readonly EnvironmentConfig[];
    windowMinutes: number;
  },
  env: string | null,
  at: number,
): Promise<string | null> {
  if (!env || deps.windowMinutes <= 0) return null;
  const since = at - deps.windowMinutes * 60_000;
  const seen = await deps.alerts.changesSince(env, since);
  const app = deps.environments.find((e) => e.name === env)?.herokuApp;
  const fromHistory =
    app && deps.releases
      ? (await deps.releases.list(app, RELEASES_TO_READ)).filter((r) => r.at >= since).map(changeFromRelease)
      : [];
  const key = (c: ChangeEvent) => `${c.kind === 'flag' ? 'flag' : 'rel'}:${c.version ?? c.at}`;
  const merged = new Map<string, ChangeEvent>();
  for (const c of seen) merged.set(key(c), c);
  for (const c of fromHistory) merged.set(key(c), c);
  return describeContext([...merged.values()], at, deps.windowMinutes);
}
