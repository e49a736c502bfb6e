/**
 * Every rule id the engine can emit, so a config file that names a rule can be checked (a typo in
 * an override must be an error, not a silently ignored line). Schema rules are `<context>-<kind>`;
 * test/unit/diff-rule-catalog.test.ts diffs the corpora and fails on any emitted id missing here.
 */
import { OPERATION_IDS } from './profiles.ts';

const cross = (a: string[], b: string[]): string[] => a.flatMap((x) => b.map((y) => `${x}-${y}`));

const BOUNDS = ['min', 'min-length', 'min-items', 'min-properties', 'min-contains', 'exclusive-min'];
const SLOTS = [
  'items',
  'additional-properties',
  'unevaluated-properties',
  'unevaluated-items',
  'property-names',
  'contains',
  'if',
  'then',
  'else',
  'content-schema',
];
const FLAGS = cross(['required', 'optional'], ['property-became']).flatMap((p) =>
  ['read-only', 'not-read-only', 'write-only', 'not-write-only'].map((f) => `${p}-${f}`),
);

/** Kinds of schema change (schema-*.ts), before the context prefix. */
const SCHEMA_KINDS = new Set([
  ...cross([...BOUNDS, ...BOUNDS.map((b) => b.replace('min', 'max'))], ['set', 'removed', 'increased', 'decreased']),
  ...cross(['enum', 'x-extensible-enum'], ['removed', 'value-removed', 'value-added']),
  'became-enum',
  'became-x-extensible-enum',
  ...cross(
    ['const', 'multiple-of', 'content-encoding', 'content-media-type', 'pattern', 'format'],
    ['added', 'removed', 'changed'],
  ),
  ...cross(['dependent-required'], ['added', 'removed', 'changed']),
  'unique-items-set',
  'unique-items-removed',
  ...cross(
    ['discriminator'],
    ['added', 'removed', 'property-name-changed', 'mapping-added', 'mapping-deleted', 'mapping-changed'],
  ),
  ...cross(['type'], ['narrowed', 'widened', 'specialized', 'generalized', 'changed', 'compatible']),
  'became-nullable',
  'became-not-nullable',
  'schema-allowed',
  'schema-disallowed',
  ...cross(['default'], ['added', 'removed', 'changed']),
  'deprecated',
  'reactivated',
  'deprecated-sunset-missing',
  'deprecated-sunset-invalid',
  'sunset-invalid',
  'sunset-too-soon',
  'sunset-moved-too-soon',
  'sunset-deleted',
  'property-became-required',
  'property-became-optional',
  'property-removed',
  'required-property-removed',
  'optional-property-removed',
  'new-required-property',
  'new-optional-property',
  'property-added',
  ...FLAGS,
  ...cross(SLOTS, ['added', 'removed', 'allowed', 'disallowed']),
  ...cross(['pattern-property', 'dependent-schema', 'prefix-items'], ['added', 'removed']),
  ...cross(['not'], ['added', 'removed', 'changed']),
  'wrapped-in-any-of',
  'wrapped-in-one-of',
  ...cross(['any-of', 'one-of', 'all-of'], ['added', 'removed', 'added-annotation-only', 'removed-annotation-only']),
]);

const SCHEMA_CONTEXTS = ['request-parameter', 'response-header', 'request', 'response'];

/** Ids that are neither schema rules nor in the profile table. */
const OTHER_IDS = new Set([
  ...cross(['request', 'parameter', 'response', 'header'], ['schema-added', 'schema-removed']),
  'response-header-style-changed',
  'security-scheme-flow-removed',
  ...cross(
    ['security-scheme'],
    ['in', 'name', 'scheme', 'bearer-format', 'open-id-connect-url', 'refresh-url'].map((f) => `${f}-changed`),
  ),
  'cross-check-openapi-diff',
  'ignore-entry-expired',
  'namespace-route-moved-out',
  'namespace-route-moved-in',
  'namespace-path-added-outside',
  'namespace-path-changed-outside',
]);

/** Whether the engine can emit this rule id. */
export function isKnownRule(rule: string): boolean {
  if (rule in OPERATION_IDS || OTHER_IDS.has(rule)) return true;
  const context = SCHEMA_CONTEXTS.find((c) => rule.startsWith(`${c}-`) && SCHEMA_KINDS.has(rule.slice(c.length + 1)));
  return context !== undefined;
}
