/** Security rules: requirements per operation and the security schemes they name. */
import type { SpecChange } from '../../ports/spec-diff.ts';
import type { OperationEntry } from './findings.ts';
import { canonical, isObject, objectAt, type Json, type JsonObject } from './json.ts';

type Requirement = Map<string, Set<string>>;

function requirements(entry: OperationEntry, doc: JsonObject): Requirement[] {
  const list: Json | undefined = entry.op.security ?? doc.security;
  if (!Array.isArray(list)) return [];
  return list
    .filter(isObject)
    .map((req) => new Map(Object.entries(req).map(([k, v]) => [k, new Set(Array.isArray(v) ? v.map(String) : [])])));
}

const keyOf = (req: Requirement): string => [...req.keys()].sort().join(' + ') || '(none)';

/** Compare the effective security requirements of one operation pair. */
export function compareSecurity(
  b: OperationEntry,
  r: OperationEntry,
  baseDoc: JsonObject,
  revDoc: JsonObject,
): SpecChange[] {
  const out: SpecChange[] = [];
  const operation = r.label;
  const add = (severity: SpecChange['severity'], rule: string, message: string): void =>
    void out.push({ severity, rule, operation, location: 'security', message });
  const bl = requirements(b, baseDoc);
  const rl = requirements(r, revDoc);
  // No requirement, or an empty alternative `{}`, means a caller may come without credentials.
  const bOpen = bl.length === 0 || bl.some((q) => q.size === 0);
  const rOpen = rl.length === 0 || rl.some((q) => q.size === 0);
  if (bOpen && !rOpen) {
    add('breaking', 'security-added', `${operation} now requires authentication (${rl.map(keyOf).join(' or ')}).`);
    return out;
  }
  if (!bOpen && rOpen) {
    add('non-breaking', 'security-removed', `${operation} no longer requires authentication.`);
    return out;
  }
  const rByKey = new Map(rl.map((q) => [keyOf(q), q]));
  const bKeys = new Set(bl.map(keyOf));
  for (const q of bl) {
    if (q.size === 0) continue;
    const match = rByKey.get(keyOf(q));
    // A revision alternative that needs a subset of these schemes is still satisfied by such clients.
    const subset = rl.some((x) => x.size > 0 && [...x.keys()].every((k) => q.has(k)));
    if (!match && subset) continue;
    if (!match) {
      add(
        'breaking',
        'security-requirement-removed',
        `${operation} no longer accepts ${keyOf(q)}; clients using it will be refused.`,
      );
      continue;
    }
    for (const [scheme, scopes] of match) {
      const added = [...scopes].filter((s) => !q.get(scheme)?.has(s));
      if (added.length)
        add(
          'breaking',
          'security-scopes-added',
          `${operation} now needs scope${added.length > 1 ? 's' : ''} ${added.join(', ')} of ${scheme}.`,
        );
    }
  }
  for (const q of rl)
    if (q.size > 0 && !bKeys.has(keyOf(q)))
      add('non-breaking', 'security-requirement-added', `${operation} now also accepts ${keyOf(q)}.`);
  return out;
}

const SCHEME_FIELDS = ['type', 'in', 'name', 'scheme', 'bearerFormat', 'openIdConnectUrl'];
const FLOW_FIELDS = ['authorizationUrl', 'tokenUrl', 'refreshUrl'];

/**
 * A scheme field as compared: the HTTP auth scheme name (`Bearer`, `basic`) is case-insensitive
 * (RFC 9110 §11.1, and OpenAPI's `scheme` is that name), so `Bearer` → `bearer` changes nothing.
 */
function fieldValue(field: string, value: unknown): string {
  return field === 'scheme' && typeof value === 'string' ? canonical(value.toLowerCase()) : canonical(value);
}

/** Changes to `components.securitySchemes` that break clients already configured for them. */
export function compareSecuritySchemes(baseDoc: JsonObject, revDoc: JsonObject): SpecChange[] {
  const out: SpecChange[] = [];
  const bs = objectAt(objectAt(baseDoc, 'components'), 'securitySchemes') ?? {};
  const rs = objectAt(objectAt(revDoc, 'components'), 'securitySchemes') ?? {};
  const add = (rule: string, name: string, message: string, severity: SpecChange['severity'] = 'breaking'): void =>
    void out.push({ severity, rule, operation: '', location: `components.securitySchemes.${name}`, message });
  for (const [name, b] of Object.entries(bs)) {
    const r = rs[name];
    if (!isObject(b)) continue;
    if (!isObject(r)) {
      add('security-scheme-removed', name, `Security scheme \`${name}\` was removed.`);
      continue;
    }
    for (const f of SCHEME_FIELDS) {
      if (fieldValue(f, b[f]) !== fieldValue(f, r[f]))
        add(
          `security-scheme-${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-changed`,
          name,
          `Security scheme \`${name}\`: ${f} changed from ${canonical(b[f])} to ${canonical(r[f])}.`,
        );
    }
    const bf = objectAt(b, 'flows') ?? {};
    const rf = objectAt(r, 'flows') ?? {};
    for (const [flowName, flow] of Object.entries(bf)) {
      const g = rf[flowName];
      if (!isObject(flow)) continue;
      if (!isObject(g)) {
        add('security-scheme-flow-removed', name, `Security scheme \`${name}\`: OAuth flow ${flowName} was removed.`);
        continue;
      }
      for (const f of FLOW_FIELDS) {
        if (flow[f] !== g[f])
          add(
            `security-scheme-${f.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-changed`,
            name,
            `Security scheme \`${name}\` (${flowName}): ${f} changed.`,
          );
      }
      const bScopes = Object.keys(objectAt(flow, 'scopes') ?? {});
      const rScopes = Object.keys(objectAt(g, 'scopes') ?? {});
      const added = rScopes.filter((s) => !bScopes.includes(s));
      const removed = bScopes.filter((s) => !rScopes.includes(s));
      if (removed.length)
        add(
          'security-scheme-scopes-removed',
          name,
          `Security scheme \`${name}\` (${flowName}): scope${removed.length > 1 ? 's' : ''} ${removed.join(', ')} removed.`,
        );
      if (added.length)
        add(
          'security-scheme-scopes-added',
          name,
          `Security scheme \`${name}\` (${flowName}): scope${added.length > 1 ? 's' : ''} ${added.join(', ')} added.`,
          'non-breaking',
        );
    }
  }
  return out;
}
