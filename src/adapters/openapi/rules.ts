/**
 * Severity of a schema change, decided by its effect and the direction the data flows.
 * Why direction: a request schema is what the server accepts, so accepting less (tighten) breaks
 * clients that send; a response schema is what clients receive, so allowing more (loosen) breaks
 * clients that parse. Overrides encode the cases where the common reading is softer or harder
 * (the peer tools oasdiff and OpenAPITools/openapi-diff agree on these).
 */
import type { Severity } from '../../ports/spec-diff.ts';

/** What a schema change does to the set of valid values. */
export type Effect = 'tighten' | 'loosen' | 'both' | 'none';

/** Where a schema sits: a request body, a request parameter, a response body or a response header. */
export type SchemaContext = 'request' | 'parameter' | 'response' | 'header';

/** One change found inside a schema, before a severity is given to it. */
export interface RawChange {
  /** Kebab-case change kind; the rule id is `<context>-<kind>`. */
  kind: string;
  effect: Effect;
  /** Path inside the schema: "" (the schema itself), ".name", ".items[]", "/oneOf[1]". */
  at: string;
  /** Sentence fragment: what changed, e.g. "maxLength decreased from 50 to 20". */
  text: string;
}

type Override = Partial<Record<SchemaContext, Severity>>;
const ALL_BREAKING: Override = { request: 'breaking', parameter: 'breaking', response: 'breaking', header: 'breaking' };

const OVERRIDES: Record<string, Override> = {
  // A new enum value in a response may surprise strict clients, but well-written ones cope.
  'enum-value-added': { response: 'warning', header: 'warning' },
  'x-extensible-enum-value-added': { response: 'non-breaking', header: 'non-breaking' },
  // Servers usually ignore unknown JSON fields, so removing a request property rarely breaks.
  'property-removed': { request: 'warning', parameter: 'warning' },
  'optional-property-removed': { response: 'warning', header: 'warning' },
  // Changing a pattern may or may not reject values clients send; flag for a human.
  'pattern-changed': { request: 'warning', parameter: 'warning', response: 'warning', header: 'warning' },
  // Few clients validate response patterns; a looser one is worth a look, not a failed build.
  'pattern-removed': { response: 'warning', header: 'warning' },
  'optional-property-became-write-only': { response: 'warning' },
  // A request property that became readOnly can no longer be set by clients (OpenAPITools: breaking).
  'required-property-became-read-only': { request: 'breaking', parameter: 'breaking' },
  'optional-property-became-read-only': { request: 'breaking', parameter: 'breaking' },
  // A required response property that was writeOnly is now returned: strict clients may choke (oasdiff: WARN).
  'required-property-became-not-write-only': { response: 'warning', header: 'warning' },
  // The default a server applies to an omitted parameter is behaviour clients rely on.
  'default-added': { parameter: 'breaking' },
  'default-removed': { parameter: 'breaking' },
  // A client that omits a parameter gets the server's default: changing it changes behaviour.
  'default-changed': { parameter: 'breaking', request: 'warning', response: 'non-breaking', header: 'non-breaking' },
  'all-of-removed': { request: 'warning' },
  'format-changed': { request: 'warning', parameter: 'warning', response: 'warning', header: 'warning' },
  // Deprecation policy violations (deprecation.ts): the sunset is what clients plan against.
  'deprecated-sunset-missing': ALL_BREAKING,
  'deprecated-sunset-invalid': ALL_BREAKING,
  'sunset-too-soon': ALL_BREAKING,
  'sunset-moved-too-soon': ALL_BREAKING,
  'sunset-deleted': ALL_BREAKING,
};

/** Severity of a raw change in a context. */
export function severityOf(kind: string, effect: Effect, context: SchemaContext): Severity {
  const override = OVERRIDES[kind]?.[context];
  if (override) return override;
  if (effect === 'none') return 'non-breaking';
  if (effect === 'both') return 'breaking';
  const isRequest = context === 'request' || context === 'parameter';
  if (effect === 'tighten') return isRequest ? 'breaking' : 'non-breaking';
  return isRequest ? 'non-breaking' : 'breaking';
}

/** Stable rule id for a schema change in a context, e.g. "request-property-became-required". */
export function ruleId(kind: string, context: SchemaContext): string {
  const prefix = {
    request: 'request',
    parameter: 'request-parameter',
    response: 'response',
    header: 'response-header',
  }[context];
  return `${prefix}-${kind}`;
}
