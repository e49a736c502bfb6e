import type { EnvironmentConfig } from '../src/core/environment.ts';
import type { CommandContext } from '../src/ports/command.ts';
import { changedBy, describeFlag, FLAG_VAR, lastChange, readFlag, type KnownValue } from '../src/core/flag.ts';
import { markup, md } from '../src/core/mrkdwn.ts';
import { toAppError } from '../src/errors.ts';
import type { HerokuRelease } from '../src/ports/heroku.ts';
import { recordRelease } from './flag-change.ts';
import type { ReleaseRecord } from '../src/ports/stores/releases.ts';
import { slackTime } from '../src/core/slack-date.ts';

/** How far back `flag status` looks for the release that last changed the flag. */
export const STATUS_RELEASE_WINDOW = 50;

/** One environment's status as text lines; records the current release as "seen". */
export async function envStatus(ctx: CommandContext, env: EnvironmentConfig): Promise<string[]> {
  const [vars, releases, history] = await Promise.all([
    ctx.heroku.getConfigVars(env.herokuApp),
    ctx.heroku.listReleases(env.herokuApp, STATUS_RELEASE_WINDOW),
    ctx.store.releases.list(env.herokuApp, STATUS_RELEASE_WINDOW * 2),
  ]);
  const value = readFlag(vars[FLAG_VAR]);
  const current = releases.find((r) => r.current) ?? releases[0];
  const head = `*${env.name}* (${env.herokuApp}): ${FLAG_VAR} ${describeFlag(value)}${current ? ` · current release v${current.version}` : ''}`;
  const lines = [head];
  if (value.state === 'unexpected')
    lines.push(`  :warning: unexpected value; \`flag on|off ${env.name} --force\` replaces it with "true"/"false".`);
  // A status read records the current release once; re-reads of an unchanged one would only rewrite
  // the same row (a store write per `flag status`, measured by bench/heroku-read-ack.ts).
  if (current && !alreadyRecorded(history, current, value.raw))
    await recordRelease(ctx, env, current, value.raw, 'seen', null).catch((err) =>
      ctx.log.warn({ err }, 'could not record the seen release'),
    );

  const known = new Map<number, KnownValue>(
    history.filter((h) => h.flagKnown).map((h) => [h.version, { raw: h.flagValue, source: h.source, actor: h.actor }]),
  );
  const change = lastChange(releases, known, value.raw);
  if (!change) {
    lines.push(`  not changed in the last ${releases.length} releases`);
    return lines;
  }
  const at = change.at ? Date.parse(change.at) : Number.NaN;
  // slackTime is the bot's markup; the description and an email come from Heroku and are escaped by md.
  const when = markup(Number.isNaN(at) ? '' : ` (${slackTime(at)})`);
  const by = changedBy(change);
  if (change.rollback && change.certain) {
    lines.push(
      md`  last changed in v${change.version}${when} by ${by}: :warning: by a ROLLBACK ("${change.description}"), which restored that release's config vars`,
    );
  } else if (change.rollback) {
    lines.push(
      md`  :warning: v${change.version}${when} "${change.description}" by ${by} may have changed it: a rollback restores that release's config vars, and I have no record of the value before it`,
    );
  } else {
    lines.push(md`  last changed in v${change.version}${when} by ${by}: "${change.description}"`);
  }
  return lines;
}

/** Whether recording `release` as seen with this flag value would change nothing in the history. */
function alreadyRecorded(history: readonly ReleaseRecord[], release: HerokuRelease, flagRaw: string | null): boolean {
  const row = history.find((h) => h.version === release.version);
  return !!row && row.flagKnown && row.flagValue === flagRaw && (row.actor !== null || release.userEmail === null);
}

/** Status of the given environments; with several, one failing environment does not hide the rest. */
export async function flagStatusText(ctx: CommandContext, envs: readonly EnvironmentConfig[]): Promise<string> {
  if (envs.length === 1) return (await envStatus(ctx, envs[0]!)).join('\n');
  const results = await Promise.allSettled(envs.map((e) => envStatus(ctx, e)));
  if (results.every((r) => r.status === 'rejected')) throw (results[0] as PromiseRejectedResult).reason;
  return results
    .map((r, i) =>
      r.status === 'fulfilled' ? r.value.join('\n') : `*${envs[i]!.name}*: :x: ${toAppError(r.reason).userMessage}`,
    )
    .join('\n');
}
