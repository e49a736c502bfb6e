/**
 * Rule profiles. The engine gives every change a rule id and this project's severity (the
 * `autorisen` profile). The `oasdiff` profile re-levels each change to the level oasdiff gives the
 * equivalent check (ERR → breaking, WARN → warning, INFO → non-breaking), so a team moving from
 * oasdiff keeps its CI verdicts. Per-rule overrides from the diff config file apply last.
 * docs/DIFF.md lists every rule where the two profiles differ, and why.
 */
import type { DiffOptions, Severity, SpecChange } from '../../ports/spec-diff.ts';
import { OASDIFF_LEVELS } from './oasdiff-levels.ts';

export type ProfileName = NonNullable<DiffOptions['profile']>;
export const PROFILES: readonly ProfileName[] = ['autorisen', 'oasdiff'];

/** Our operation-level and document-level rule ids → oasdiff's id for the same check. */
export const OPERATION_IDS: Record<string, string> = {
  'endpoint-removed': 'api-removed-without-deprecation',
  'endpoint-removed-after-deprecation': 'api-removed-with-deprecation',
  'endpoint-removed-before-sunset': 'api-removed-before-sunset',
  'endpoint-removed-after-sunset': 'api-removed-after-sunset',
  'endpoint-removed-unstable': 'api-removed-unstable',
  'endpoint-sunset-invalid': 'api-path-sunset-parse',
  'endpoint-added': 'endpoint-added',
  'endpoint-deprecated': 'endpoint-deprecated',
  'endpoint-reactivated': 'endpoint-reactivated',
  'endpoint-deprecated-sunset-missing': 'api-deprecated-sunset-missing',
  'endpoint-deprecated-sunset-invalid': 'api-deprecated-sunset-parse',
  'endpoint-sunset-too-soon': 'api-sunset-date-too-small',
  'endpoint-sunset-deleted': 'sunset-deleted',
  'endpoint-sunset-moved-too-soon': 'api-sunset-date-changed-too-small',
  'endpoint-stability-invalid': 'api-invalid-stability-level',
  'endpoint-stability-decreased': 'api-stability-decreased',
  'endpoint-stability-increased': 'api-stability-increased',
  'webhook-removed': 'webhook-removed',
  'webhook-added': 'webhook-added',
  'operation-id-changed': 'api-operation-id-removed',
  'operation-id-added': 'api-operation-id-added',
  'operation-id-removed': 'api-operation-id-removed',
  'tag-added': 'api-tag-added',
  'tag-removed': 'api-tag-removed',
  'request-parameter-removed': 'request-parameter-removed',
  'request-parameter-removed-after-deprecation': 'request-parameter-removed-with-deprecation',
  'request-parameter-removed-before-sunset': 'request-parameter-removed-before-sunset',
  'request-parameter-removed-after-sunset': 'request-parameter-removed-after-sunset',
  'request-parameter-sunset-invalid': 'request-parameter-sunset-parse',
  'request-parameter-reactivated': 'request-parameter-reactivated',
  'request-parameter-deprecated-sunset-missing': 'request-parameter-deprecated-sunset-missing',
  'request-parameter-deprecated-sunset-invalid': 'request-parameter-sunset-parse',
  'request-parameter-sunset-too-soon': 'request-parameter-sunset-date-too-small',
  'request-parameter-sunset-deleted': 'request-parameter-sunset-deleted',
  'request-parameter-sunset-moved-too-soon': 'request-parameter-sunset-date-changed-too-small',
  'request-parameter-added': 'new-optional-request-parameter',
  'request-parameter-added-required': 'new-required-request-parameter',
  'request-parameter-became-required': 'request-parameter-became-required',
  'request-parameter-became-optional': 'request-parameter-became-optional',
  'request-parameter-deprecated': 'request-parameter-deprecated',
  'request-parameter-style-changed': 'request-parameter-style-changed',
  'request-parameter-explode-changed': 'request-parameter-explode-changed',
  'request-parameter-empty-value-disallowed': 'request-parameter-empty-value-disallowed',
  'request-body-removed': 'request-body-removed',
  'request-body-added': 'request-body-added-optional',
  'request-body-added-required': 'request-body-added-required',
  'request-body-became-required': 'request-body-became-required',
  'request-body-became-optional': 'request-body-became-optional',
  'request-media-type-removed': 'request-body-media-type-removed',
  'request-media-type-added': 'request-body-media-type-added',
  'request-schema-added': 'request-body-media-type-schema-added',
  'request-schema-removed': 'request-body-media-type-schema-removed',
  'response-schema-added': 'response-body-media-type-schema-added',
  'response-schema-removed': 'response-body-media-type-schema-removed',
  'response-status-removed': 'response-success-status-removed',
  'response-non-success-status-removed': 'response-non-success-status-removed',
  'response-status-added': 'response-success-status-added',
  'response-media-type-removed': 'response-media-type-removed',
  'response-media-type-added': 'response-media-type-added',
  'response-header-removed': 'required-response-header-removed',
  'response-optional-header-removed': 'optional-response-header-removed',
  'response-header-became-optional': 'response-header-became-optional',
  'response-header-added': 'response-header-added',
  'security-added': 'api-security-added',
  'security-removed': 'api-security-removed',
  'security-requirement-added': 'api-security-added',
  'security-requirement-removed': 'api-security-removed',
  'security-scopes-added': 'api-security-scope-added',
  'security-scheme-removed': 'api-security-component-removed',
  'security-scheme-type-changed': 'api-security-component-type-changed',
  'security-scheme-scopes-added': 'api-security-component-oauth-scope-added',
  'security-scheme-scopes-removed': 'api-security-component-oauth-scope-removed',
  'security-scheme-token-url-changed': 'api-security-component-oauth-token-url-changed',
  'security-scheme-authorization-url-changed': 'api-security-component-oauth-url-changed',
};

/** Schema rule prefixes → oasdiff's prefixes (root position first for parameters, then nested). */
const SCHEMA_PREFIXES: [string, string[]][] = [
  ['request-parameter-', ['request-parameter-', 'request-parameter-property-']],
  ['response-header-', ['response-header-']],
  ['request-', ['request-property-', 'request-body-']],
  ['response-', ['response-property-', 'response-body-']],
];

/** Whole ids whose oasdiff name does not follow `<prefix><kind>`. */
const SCHEMA_SPECIAL: Record<string, string> = {
  'request-property-removed': 'request-property-removed',
  'request-new-required-property': 'new-required-request-property',
  'request-new-optional-property': 'new-optional-request-property',
  'response-required-property-removed': 'response-required-property-removed',
  'response-optional-property-removed': 'response-optional-property-removed',
  'response-property-added': 'response-property-added',
};

/** Our kind → oasdiff's kind where the words differ. */
function oasdiffKind(kind: string): string {
  if (kind.startsWith('format-')) return 'type-changed'; // oasdiff compares type and format as one
  if (kind === 'sunset-too-soon') return 'sunset-date-too-small';
  // oasdiff reads an absent minLength as 0, so setting one is an increase and removing one a decrease.
  if (kind === 'min-length-set') return 'min-length-increased';
  if (kind === 'min-length-removed') return 'min-length-decreased';
  if (kind === 'type-narrowed') return 'list-of-types-narrowed';
  if (kind === 'type-widened') return 'list-of-types-widened';
  if (kind.startsWith('default-')) return kind.replace('default-', 'default-value-');
  if (kind.startsWith('property-became-')) return kind.replace('property-', '');
  const bound = /^((?:min|max)(?:-length|-items|-properties|-contains)?)-removed$/.exec(kind);
  return bound ? `${bound[1]}-unset` : kind;
}

/** oasdiff's id for one of our changes (one that oasdiff has no check for still gets a name). */
export function oasdiffIdOf(rule: string): string {
  const direct = OPERATION_IDS[rule] ?? SCHEMA_SPECIAL[rule];
  if (direct) return direct;
  const flag = /^(request|response)-((?:required|optional)-property-became-(?:not-)?(?:read|write)-only)$/.exec(rule);
  if (flag) return `${flag[1]}-${flag[2]}`;
  for (const [ours, theirs] of SCHEMA_PREFIXES) {
    if (!rule.startsWith(ours)) continue;
    const kind = oasdiffKind(rule.slice(ours.length));
    const candidates = theirs.map((p) => `${p}${kind}`);
    return candidates.find((id) => OASDIFF_LEVELS.has(id)) ?? candidates[0]!;
  }
  return rule;
}

/** oasdiff's level for one of our changes, as a severity. */
export function oasdiffSeverity(rule: string): Severity {
  const level = OASDIFF_LEVELS.get(oasdiffIdOf(rule));
  return level === 'ERR' ? 'breaking' : level === 'WARN' ? 'warning' : 'non-breaking';
}

/** Re-level changes for a profile, then apply per-rule overrides. */
export function applyProfile(
  changes: SpecChange[],
  profile: ProfileName = 'autorisen',
  overrides: Record<string, Severity> = {},
): SpecChange[] {
  return changes.map((c) => {
    // Our own findings (namespace, ignore file, cross-check) have no oasdiff counterpart.
    const relevel = profile === 'oasdiff' && !/^(namespace-|ignore-|cross-check)/.test(c.rule);
    const severity = overrides[c.rule] ?? (relevel ? oasdiffSeverity(c.rule) : c.severity);
    return severity === c.severity ? c : { ...c, severity };
  });
}
