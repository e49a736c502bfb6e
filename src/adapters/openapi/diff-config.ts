/**
 * `.autorisen-diff.yml`, the ignore file's neighbour: a team's own rule book. Strict, like the bot's
 * config: an unknown key, an unknown rule id or a bad severity is an error naming the line's key,
 * because a silently ignored override would let a break through CI.
 *
 *   profile: oasdiff            # or autorisen (default)
 *   deprecation-days: { beta: 31, stable: 180 }
 *   rules:
 *     request-parameter-removed: warning
 */
import { AppError } from '../../errors.ts';
import type { DiffOptions, Severity } from '../../ports/spec-diff.ts';
import { parseSettingsYaml } from './ignore.ts';
import { isObject } from './json.ts';
import { PROFILES, type ProfileName } from './profiles.ts';
import { isKnownRule } from './rule-catalog.ts';

export const SEVERITIES: readonly Severity[] = ['breaking', 'warning', 'non-breaking'];

/** The options a diff config file sets. */
export type RuleSettings = Pick<DiffOptions, 'profile' | 'overrides' | 'deprecationDays'>;

/** Validate already-decoded rule settings (the CLI file, or `diff:` in the bot's config). */
export function ruleSettingsProblems(raw: Record<string, unknown>, keys: Record<string, string>): string[] {
  const problems: string[] = [];
  const profile = raw[keys.profile!];
  if (profile !== undefined && !PROFILES.includes(profile as ProfileName))
    problems.push(`"${keys.profile}" must be one of ${PROFILES.join(', ')} (got ${JSON.stringify(profile)})`);
  const days = raw[keys.days!];
  if (days !== undefined) {
    if (!isObject(days)) problems.push(`"${keys.days}" must be a mapping with beta and stable`);
    else
      for (const [k, v] of Object.entries(days)) {
        if (k !== 'beta' && k !== 'stable') problems.push(`"${keys.days}.${k}" is not a setting (beta, stable)`);
        else if (!Number.isInteger(v) || (v as number) < 0)
          problems.push(`"${keys.days}.${k}" must be a whole number of days (got ${JSON.stringify(v)})`);
      }
  }
  const rules = raw[keys.rules!];
  if (rules !== undefined) {
    if (!isObject(rules)) problems.push(`"${keys.rules}" must map rule ids to breaking, warning or non-breaking`);
    else
      for (const [rule, level] of Object.entries(rules)) {
        if (!isKnownRule(rule)) problems.push(`"${keys.rules}.${rule}" is not a rule this engine has`);
        else if (!SEVERITIES.includes(level as Severity))
          problems.push(
            `"${keys.rules}.${rule}" must be breaking, warning or non-breaking (got ${JSON.stringify(level)})`,
          );
      }
  }
  return problems;
}

/** Settings from validated raw values. */
export function ruleSettingsOf(raw: Record<string, unknown>, keys: Record<string, string>): RuleSettings {
  const out: RuleSettings = {};
  if (raw[keys.profile!] !== undefined) out.profile = raw[keys.profile!] as ProfileName;
  const days = raw[keys.days!] as { beta?: number; stable?: number } | undefined;
  if (days) out.deprecationDays = { beta: days.beta ?? 0, stable: days.stable ?? 0 };
  if (raw[keys.rules!] !== undefined) out.overrides = { ...(raw[keys.rules!] as Record<string, Severity>) };
  return out;
}

const FILE_KEYS = { profile: 'profile', days: 'deprecation-days', rules: 'rules' };

/** Parse the diff config file; every problem is listed in one spec_invalid error. */
export function parseDiffConfig(text: string, label: string): RuleSettings {
  const raw = parseSettingsYaml(text, label);
  if (raw == null) return {};
  if (!isObject(raw))
    throw new AppError('spec_invalid', `${label}: expected a mapping (profile, deprecation-days, rules).`);
  const problems = Object.keys(raw)
    .filter((k) => !Object.values(FILE_KEYS).includes(k))
    .map((k) => `"${k}" is not a setting (profile, deprecation-days, rules)`);
  problems.push(...ruleSettingsProblems(raw, FILE_KEYS));
  if (problems.length) throw new AppError('spec_invalid', `${label}: ${problems.join('; ')}.`);
  return ruleSettingsOf(raw, FILE_KEYS);
}
