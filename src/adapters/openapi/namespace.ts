/**
 * The rollout's own rule: autorisen's routes live under one prefix inside capecraft, so anything the
 * revision adds or changes outside it needs a human look, and a route moved across the boundary is
 * one finding (not an unrelated removal plus addition).
 */
import type { SpecChange } from '../../ports/spec-diff.ts';
import type { OperationEntry } from './findings.ts';

/** Default rollout namespace. */
export const DEFAULT_NAMESPACE = '/api/autorisen/';

/** Whether a path is inside the namespace ("/api/autorisen" itself counts). */
export function inNamespace(path: string, namespace: string): boolean {
  const ns = namespace.endsWith('/') ? namespace : `${namespace}/`;
  return path.startsWith(ns) || path === ns.slice(0, -1);
}

/**
 * Pair removed operations with added ones that are the same route moved across the namespace:
 * same method, and either the same operationId or the same path once the prefix is stripped.
 */
export function findMoves(
  removed: OperationEntry[],
  added: OperationEntry[],
  namespace: string,
): [OperationEntry, OperationEntry][] {
  const ns = namespace.endsWith('/') ? namespace : `${namespace}/`;
  const tail = (e: OperationEntry): string =>
    (inNamespace(e.path, ns) ? `/${e.path.slice(ns.length)}` : e.path).replace(/\{[^}]*\}/g, '{}');
  const moves: [OperationEntry, OperationEntry][] = [];
  const taken = new Set<OperationEntry>();
  for (const b of removed) {
    if (b.webhook) continue;
    const candidates = added.filter(
      (r) =>
        !taken.has(r) && !r.webhook && r.method === b.method && inNamespace(r.path, ns) !== inNamespace(b.path, ns),
    );
    const r =
      candidates.find((c) => typeof b.op.operationId === 'string' && c.op.operationId === b.op.operationId) ??
      candidates.find((c) => tail(c) === tail(b) || tail(c).endsWith(tail(b)) || tail(b).endsWith(tail(c)));
    if (r) {
      taken.add(r);
      moves.push([b, r]);
    }
  }
  return moves;
}

/** The finding for one moved route. */
export function moveFinding(b: OperationEntry, r: OperationEntry, namespace: string): SpecChange {
  const out = inNamespace(b.path, namespace);
  return {
    severity: 'breaking',
    rule: out ? 'namespace-route-moved-out' : 'namespace-route-moved-in',
    operation: r.label,
    location: 'path',
    message: `${b.label} moved ${out ? 'out of' : 'into'} ${namespace} as ${r.label}; clients calling the old path will get 404.`,
  };
}

/** Namespace findings for operations the revision added or changed outside the namespace. */
export function outsideFindings(added: OperationEntry[], changed: OperationEntry[], namespace: string): SpecChange[] {
  const out: SpecChange[] = [];
  for (const r of added) {
    if (r.webhook || inNamespace(r.path, namespace)) continue;
    out.push({
      severity: 'warning',
      rule: 'namespace-path-added-outside',
      operation: r.label,
      location: 'path',
      message: `${r.label} was added outside ${namespace}.`,
    });
  }
  for (const r of changed) {
    if (r.webhook || inNamespace(r.path, namespace)) continue;
    out.push({
      severity: 'warning',
      rule: 'namespace-path-changed-outside',
      operation: r.label,
      location: 'path',
      message: `${r.label} changed outside ${namespace}.`,
    });
  }
  return out;
}
