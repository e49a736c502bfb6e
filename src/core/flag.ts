import { GUARD_ACTOR } from './guard/actor.ts';
import type { EnvironmentConfig } from './environment.ts';
import { AppError } from '../errors.ts';
import type { Plan } from './command.ts';
import { escapeMrkdwn, type Markup, mention } from './mrkdwn.ts';

/**
 * The rollout flag (issue 3), pure: value normalisation, the on/off plan, and "what last changed
 * it" from Heroku's release list plus the recorded flag history.
 */

/** The Heroku config var that gates the whole integration (routes under /api/autorisen/*). */
export const FLAG_VAR = 'FEATURE_AUTORISEN';

export type FlagTarget = 'on' | 'off';

/** A raw config value read as the flag: only the exact strings "true"/"false" are normal. */
export type FlagValue =
  | { state: 'on'; raw: 'true' }
  | { state: 'off'; raw: 'false' }
  | { state: 'unset'; raw: null }
  | { state: 'unexpected'; raw: string };

/** Read a raw config var value (undefined/null = not set). */
export function readFlag(raw: string | null | undefined): FlagValue {
  if (raw === undefined || raw === null) return { state: 'unset', raw: null };
  if (raw === 'true') return { state: 'on', raw };
  if (raw === 'false') return { state: 'off', raw };
  return { state: 'unexpected', raw };
}

/** The value we write for a target: always the normalised string. */
export function rawFor(target: FlagTarget): 'true' | 'false' {
  return target === 'on' ? 'true' : 'false';
}

/** How a value reads in messages: `"true" (on)`, `not set (off)`, `"yes" (unexpected)`. */
export function describeFlag(v: FlagValue): string {
  switch (v.state) {
    case 'on':
      return '"true" (on)';
    case 'off':
      return '"false" (off)';
    case 'unset':
      return 'not set (off)';
    case 'unexpected':
      return `"${v.raw}" (unexpected: neither "true" nor "false")`;
  }
}

/** What execute() needs, carried in Plan.data (JSON). */
export interface FlagPlanData {
  env: string;
  app: string;
  target: FlagTarget;
  from: string | null;
  to: 'true' | 'false';
  version: number | null;
  releaseId: string | null;
}

export interface FlagPlanInput {
  target: FlagTarget;
  env: EnvironmentConfig;
  current: FlagValue;
  /** Current release version and id, null when the app has none. */
  version: number | null;
  releaseId: string | null;
  /** The flag on each other non-production environment ("staging goes first"); empty when none. */
  staging: Array<{ name: string; value: FlagValue }>;
  requesterId: string;
  reason: string | null;
  force: boolean;
  /** A `flag on` holds the environment's lock right now (its PATCH may land after this plan was read). */
  onInFlight?: { holderId: string } | null;
}

/** The plan for `flag on|off <env>`; throws `conflict` for an unexpected value without --force. */
export function planFlagChange(i: FlagPlanInput): Plan {
  const to = rawFor(i.target);
  const data: FlagPlanData = {
    env: i.env.name,
    app: i.env.herokuApp,
    target: i.target,
    from: i.current.raw,
    to,
    version: i.version,
    releaseId: i.releaseId,
  };
  // The approval re-check compares this: a different value, release or staging state fails safe.
  const fingerprint = JSON.stringify({
    app: data.app,
    from: data.from,
    version: data.version,
    staging: i.staging.map((s) => [s.name, s.value.raw]),
  });
  const title = `Turn the rollout flag ${i.target} in ${i.env.name}`;
  const where = `${i.env.name} (Heroku app ${i.env.herokuApp})`;
  // The kill switch is never a no-op while a `flag on` is in flight: that PATCH may still land.
  const racing = i.target === 'off' && i.onInFlight ? i.onInFlight : null;
  if (i.current.raw === to && !racing) {
    return {
      title,
      lines: [],
      warnings: [],
      env: i.env.name,
      data,
      fingerprint,
      noop: `${FLAG_VAR} is already "${to}" in ${where}${i.version !== null ? ` (release v${i.version})` : ''}; nothing to change.`,
    };
  }
  if (i.current.state === 'unexpected' && !i.force) {
    throw new AppError(
      'conflict',
      `${FLAG_VAR} in ${where} is "${i.current.raw}", which is neither "true" nor "false", so I will not overwrite it silently. Find out what set it; to replace it with "${to}" run \`/autorisen flag ${i.target} ${i.env.name} --force\`.`,
    );
  }
  const lines = [
    `App: ${i.env.herokuApp} (${i.env.name})`,
    `${FLAG_VAR}: ${describeFlag(i.current)} → "${to}" (${i.target})`,
    `Heroku creates a new release${i.version !== null ? ` after v${i.version}` : ''} and restarts every dyno of ${i.env.herokuApp}`,
    `Requested by <@${i.requesterId}>: ${i.reason ? `"${escapeMrkdwn(i.reason)}"` : 'no reason given (add --reason "…")'}`,
  ];
  const warnings: string[] = [];
  if (i.current.state === 'unexpected')
    warnings.push(`--force: the unexpected value "${i.current.raw}" will be replaced by "${to}".`);
  if (i.target === 'on' && i.env.production) {
    if (i.staging.length === 0)
      warnings.push('No staging environment is configured, so this has not been tried anywhere first.');
    for (const s of i.staging) {
      if (s.value.state === 'on') lines.push(`Staging first: ${s.name} already has it on`);
      else
        warnings.push(
          `:rotating_light: STAGING FIRST: the flag is NOT on in ${s.name} (it is ${describeFlag(s.value)}). Turn it on there and check it before ${i.env.name}.`,
        );
    }
  }
  if (racing)
    lines.push(
      `A \`flag on\` by <@${racing.holderId}> is in flight: the kill switch takes its lock, and turns the flag back off if that change lands after it`,
    );
  if (i.target === 'off') lines.push('Kill switch: runs at once, no approval; announced in the channel');
  return { title, lines, warnings, env: i.env.name, data, fingerprint };
}

/** A release as lastChange needs it (newest first). */
export interface ReleaseView {
  version: number;
  description: string;
  userEmail: string | null;
  createdAt: string;
}

/** What is known about the flag in a release, from the history store. */
export interface KnownValue {
  raw: string | null;
  source: string;
  actor: string | null;
}

export interface FlagChange {
  version: number;
  description: string;
  /** The Slack user the bot's history credits, when it made the change; shown as a mention. */
  byUserId: string | null;
  /** Otherwise Heroku's user email (outside text, escaped when shown); null when unknown. */
  byEmail: string | null;
  at: string;
  /** The change came from a rollback (Heroku restored an older release's config vars). */
  rollback: boolean;
  /** False when the history is incomplete and the release only may have changed it. */
  certain: boolean;
}

/**
 * Who made a change, for `md`: a live mention of a Slack user, "the guard" for the guard's own kill
 * switch (issue 21), or Heroku's email as text (escaped there).
 */
export function changedBy(c: { byUserId: string | null; byEmail: string | null }): Markup | string {
  if (c.byUserId === GUARD_ACTOR) return 'the guard';
  return c.byUserId ? mention(c.byUserId) : (c.byEmail ?? 'unknown');
}

/** Heroku's description of a release that set or removed the flag ("Set FEATURE_AUTORISEN config vars"). */
export const isFlagRelease = (description: string) =>
  new RegExp(`^(Set|Remove) (.+, )?${FLAG_VAR}(, .+)? config vars$`).test(description);
/** Heroku's description of a rollback release (it restores the target's config vars). */
export const isRollbackRelease = (description: string) => /^Rollback to v\d+$/.test(description);
const touches = isFlagRelease;
const rollbackOf = isRollbackRelease;

/**
 * Walk releases newest-first to the one that last changed the flag. A release's value is known from
 * the history; otherwise "Set/Remove FEATURE_AUTORISEN config vars" changed it, a deploy or other
 * config change did not, and a rollback may have (it restores the old release's vars).
 * Null when no release in the list changed it.
 */
export function lastChange(
  releases: readonly ReleaseView[],
  known: ReadonlyMap<number, KnownValue>,
  currentRaw: string | null,
): FlagChange | null {
  let value = currentRaw;
  for (let i = 0; i < releases.length; i++) {
    const r = releases[i]!;
    const older = releases[i + 1];
    const hist = known.get(r.version);
    const change = (certain: boolean): FlagChange => ({
      version: r.version,
      description: r.description,
      ...(hist && hist.source !== 'seen' && hist.source !== 'webhook' && hist.actor
        ? { byUserId: hist.actor, byEmail: null }
        : { byUserId: null, byEmail: r.userEmail }),
      at: r.createdAt,
      rollback: rollbackOf(r.description),
      certain,
    });
    if (hist) value = hist.raw;
    const olderKnown = older ? known.get(older.version) : undefined;
    if (olderKnown) {
      if (olderKnown.raw !== value) return change(true);
      continue;
    }
    if (touches(r.description)) return change(true);
    if (rollbackOf(r.description)) return change(false);
  }
  return null;
}
