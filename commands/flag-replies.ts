import type { EnvironmentConfig } from '../src/core/environment.ts';
import { flagOffButton } from '../src/core/command-buttons.ts';
import type { Outcome, Settlement } from '../src/core/command.ts';
import { describeFlag, FLAG_VAR, type FlagPlanData, type FlagValue } from '../src/core/flag.ts';
import { escapeMrkdwn } from '../src/core/mrkdwn.ts';
import { actorText } from '../src/core/guard/actor.ts';
import type { ProbePort } from '../src/ports/probes.ts';
import type { LockInfo } from '../src/ports/stores/locks.ts';

/**
 * Every word a flag change says, in one place: its refusals, its result (with what the kill switch
 * went past or undid), the probes after it, and what a restart settled. flag-change.ts decides;
 * this file writes.
 */

type ProbeReport = Awaited<ReturnType<ProbePort['run']>>;

const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
const holder = (env: string, h: LockInfo): string =>
  `the ${env} lock held by <@${h.holderId}> (${h.kind}: ${escapeMrkdwn(h.reason)}, since ${hhmm(h.acquiredAt)} UTC)`;

/** Why a `flag on` cannot start now. */
export function busy(env: string, h: LockInfo): string {
  return `<@${h.holderId}> holds the ${env} lock (${h.kind}: ${escapeMrkdwn(h.reason)}, since ${hhmm(h.acquiredAt)} UTC), so nothing was changed. ${h.kind === 'flag' ? `Check \`/autorisen flag status ${env}\` in a moment.` : 'Try again once it is released.'}`;
}

/** What the kill switch went past, for its result message. */
export function wentPast(env: string, h: LockInfo): string {
  const base = `The kill switch did not wait for ${holder(env, h)}.`;
  if (h.kind === 'flag')
    return `${base} That flag change was still in flight; if it lands after this one, the bot turns the flag back off.`;
  if (h.kind === 'rollback' || h.kind === 'deploy')
    return `${base} A ${h.kind} restores or releases config vars: check \`/autorisen flag status ${env}\` once it finishes.`;
  return `${base} The lock stays in place for everything else.`;
}
const pastSummary = (h: LockInfo): string => `overrode the ${h.kind} lock of ${h.holderId} (${h.reason})`;

/** The value is the target already (someone else set it since the plan). */
export function alreadySet(d: FlagPlanData, env: EnvironmentConfig, past: LockInfo | null): Outcome {
  const note = past ? `\n:warning: ${wentPast(env.name, past)}` : '';
  return {
    ok: true,
    message: {
      text: `:information_source: ${FLAG_VAR} is already "${d.to}" in ${env.name}, so nothing was applied.${note}`,
      ...(past ? { visibility: 'in_channel' as const } : {}),
    },
    ...(past ? { announce: true } : {}),
    summary: `noop: already ${d.to}${past ? `; ${pastSummary(past)}` : ''}`,
  };
}

/** A `flag on` whose plan is stale: the value changed since; nothing applied. */
export function stale(d: FlagPlanData, env: EnvironmentConfig, before: FlagValue): Outcome {
  return {
    ok: false,
    message: {
      text: `:warning: ${FLAG_VAR} in ${env.name} changed since the plan (${d.from ?? 'not set'} → ${before.raw ?? 'not set'}), so nothing was applied. Run the command again to see the new plan.`,
    },
    summary: `stale: value is now ${before.raw ?? 'unset'}`,
  };
}

/** What the kill switch did to a `flag on` it overtook: it was off already, or this change landed after it and was undone. */
export type KillSwitchMeanwhile = 'off-already' | 'set-back' | null;

/** The change landed: who, what, the release, and every note on how. */
export function applied(f: {
  d: FlagPlanData;
  env: EnvironmentConfig;
  userId: string;
  before: FlagValue;
  version: number | null;
  reason: string | null;
  readbackAfter: string | null;
  past: LockInfo | null;
  killSwitch: KillSwitchMeanwhile;
}): Outcome {
  const { d, env } = f;
  const rel = f.version !== null ? `, release v${f.version}` : '';
  const why = f.reason ? ` Reason: "${escapeMrkdwn(f.reason)}".` : '';
  const late = f.readbackAfter
    ? ` Heroku did not answer in time (${f.readbackAfter}); reading it back confirmed the change.`
    : '';
  const killed =
    f.killSwitch === 'off-already'
      ? `The kill switch ran while this was applying; ${FLAG_VAR} is off, as it wants.`
      : f.killSwitch === 'set-back'
        ? `The kill switch ran while this was applying and this change landed after it, so I set ${FLAG_VAR} back to "false".`
        : null;
  const notes = [f.past ? wentPast(env.name, f.past) : null, killed].filter((x) => x !== null);
  const text = `${d.target === 'off' ? ':octagonal_sign:' : ':white_check_mark:'} ${actorText(f.userId)} turned the rollout flag *${d.target}* in ${env.name} (${d.app}): ${FLAG_VAR} ${describeFlag(f.before)} → "${d.to}"${rel}. Heroku is restarting the dynos.${why}${late}${notes.map((n) => `\n:warning: ${n}`).join('')}`;
  const summaryNotes = [
    f.readbackAfter ? `confirmed by reading back after ${f.readbackAfter}` : null,
    f.past ? pastSummary(f.past) : null,
    killed ? 'the kill switch ran meanwhile' : null,
  ].filter((x) => x !== null);
  return {
    ok: killed === null,
    message: { text, visibility: 'in_channel' },
    announce: true,
    summary: `${FLAG_VAR} ${f.before.raw ?? 'unset'} → ${d.to}${rel}${summaryNotes.length > 0 ? `; ${summaryNotes.join('; ')}` : ''}`,
  };
}

/** Heroku refused the PATCH outright (a 4xx): nothing changed. */
export const refused = (heroku: string, before: string): string =>
  `${heroku} Nothing was changed: ${FLAG_VAR} is still ${before}.`;

/** No answer or a 5xx, then read back over `seconds`: what is known about the value now. */
export function unanswered(
  heroku: string,
  d: FlagPlanData,
  after: FlagValue | null,
  timeout: boolean,
  seconds: number,
) {
  const check = `\`/autorisen flag status ${d.env}\``;
  if (!after) return `${heroku} I could not re-read ${FLAG_VAR}, so I do not know whether it changed; check ${check}.`;
  if (timeout)
    return `${heroku} Result unknown: re-read over ${seconds} s, ${FLAG_VAR} is still ${describeFlag(after)}, but Heroku may still apply the change late. Check ${check} in a minute: a new release "Set ${FLAG_VAR} config vars" means it landed.`;
  return `${heroku} I checked: ${FLAG_VAR} is still ${describeFlag(after)}, so nothing was changed.`;
}

/** The contract probes after the change, added to its reply; a failing probe after `flag on` offers Flag off. */
export function withProbes(outcome: Outcome, d: FlagPlanData, r: ProbeReport): Outcome {
  const failedNames = r.results
    .filter((p) => !p.ok)
    .map((p) => `${p.name}: ${p.status ?? p.error} (expected ${p.expect})`);
  const line = r.ok
    ? `:stethoscope: ${r.results.length} contract probe(s) pass with the flag ${r.flag ?? d.target}.`
    : `:x: Contract probes fail with the flag ${r.flag ?? d.target}: ${failedNames.join(' · ') || `health ${r.health.status ?? 'no answer'}`}.`;
  return {
    ...outcome,
    message: {
      ...outcome.message,
      text: `${outcome.message.text}\n${line}`,
      ...(r.ok || d.target !== 'on' ? {} : { buttons: [flagOffButton(d.env, 'contract probes failed after flag on')] }),
    },
  };
}

/** What reading the flag back after a restart found (ActionCommand.settle). */
export const settled = {
  unreadable: (d: FlagPlanData): Settlement => ({
    applied: null,
    text: `Interrupted by a restart, and Heroku could not be read to say whether it landed; check \`/autorisen flag status ${d.env}\`.`,
  }),
  notApplied: (d: FlagPlanData, now: FlagValue): Settlement => ({
    applied: false,
    text: `Not applied (interrupted by a restart): ${FLAG_VAR} in ${d.env} is still ${describeFlag(now)}. Ask again if it is still needed.`,
  }),
  applied: (d: FlagPlanData, now: FlagValue, version: number | null): Settlement => ({
    applied: true,
    text: `Done (confirmed after restart): ${FLAG_VAR} in ${d.env} is ${describeFlag(now)}${version !== null ? `, release v${version}` : ''}.`,
  }),
};
