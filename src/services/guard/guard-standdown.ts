import type { EnvironmentConfig } from '../../config.ts';
import { actorMention } from '../../core/guard/actor.ts';
import { md } from '../../core/mrkdwn.ts';
import type { GuardRecord } from '../../ports/stores/guards.ts';
import type { Store } from '../../ports/store.ts';
import { changesBetween } from '../drain/changes.ts';

/** How many recent releases are read to see whether anything changed since the guarded change. */
const RECENT_RELEASES = 20;

/**
 * Why the guard must stand down, or null: a release newer than the guarded change's (a flag flip,
 * a deploy, a rollback, a config change, by anyone: bot-made or seen through Heroku's webhook), or a
 * deploy/rollback/release run of the bot that finished after it. The guard never fights a person.
 */
export async function laterChange(
  store: Pick<Store, 'releases' | 'workflows'>,
  env: Pick<EnvironmentConfig, 'name' | 'herokuApp'>,
  g: GuardRecord,
  now: number,
): Promise<string | null> {
  if (g.releaseVersion !== null) {
    const newer = (await store.releases.list(env.herokuApp, RECENT_RELEASES))
      .filter((r) => r.version > g.releaseVersion!)
      .sort((a, b) => a.version - b.version)[0];
    if (newer) {
      // A person is mentioned; an email or a release description from Heroku is outside text (escaped).
      const byPerson = newer.source === 'flag' || newer.source === 'deploy' || newer.source === 'rollback';
      const who = newer.actor ? md` by ${byPerson ? actorMention(newer.actor) : newer.actor}` : '';
      const what =
        newer.source === 'flag'
          ? `the flag was changed (v${newer.version})`
          : md`release v${newer.version} (${newer.description || newer.source})`;
      return `standing down: ${what}${who} after ${g.label}`;
    }
  }
  const runs = (await changesBetween(store, env, g.startedAt + 1, now + 1)).filter(
    // A deploy/release guard's own run (key "deploy:<run id>:<env>") finishing is no change of anyone's.
    (c) => !g.changeKey.startsWith(`${c.key}:`) && c.key !== g.changeKey && c.kind !== 'flag',
  );
  const first = runs[0];
  return first ? `standing down: ${first.label} finished after ${g.label}` : null;
}
