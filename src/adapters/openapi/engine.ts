/** The OpenAPI comparison engine: SpecDiffPort implementation. */
import type { DiffOptions, DiffReport, SpecChange, SpecDiffPort } from '../../ports/spec-diff.ts';
import { operationsOf, toChanges, type OperationEntry } from './findings.ts';
import { hashOf } from './json.ts';
import { assertOpenApi } from './load.ts';
import { DEFAULT_NAMESPACE, findMoves, moveFinding, outsideFindings } from './namespace.ts';
import { lifecycleOf, removal, stabilityOf } from './deprecation.ts';
import { compareOperation } from './operation-compare.ts';
import { applyProfile } from './profiles.ts';
import { refName, Resolver } from './refs.ts';
import { SchemaComparer } from './schema-compare.ts';
import { compareSecurity, compareSecuritySchemes } from './security.ts';

const SEVERITY_ORDER = { breaking: 0, warning: 1, 'non-breaking': 2 } as const;
const CONTEXT_WORDS = {
  request: 'requests',
  parameter: 'parameters',
  response: 'responses',
  header: 'response headers',
} as const;

/** Our engine behind the SpecDiffPort. */
export class OpenApiDiffEngine implements SpecDiffPort {
  async diff(base: unknown, revision: unknown, options: DiffOptions = {}): Promise<DiffReport> {
    return diffDocuments(base, revision, options);
  }
}

/** Compare two decoded OpenAPI documents. Synchronous and pure; throws AppError spec_invalid. */
export function diffDocuments(baseInput: unknown, revInput: unknown, options: DiffOptions = {}): DiffReport {
  const namespace = options.namespace ?? DEFAULT_NAMESPACE;
  const baseDoc = assertOpenApi(baseInput, 'The base document');
  const revDoc = assertOpenApi(revInput, 'The revision document');
  const base = new Resolver(baseDoc, 'The base document');
  const rev = new Resolver(revDoc, 'The revision document');
  base.checkAll();
  rev.checkAll();
  if (hashOf(baseDoc) === hashOf(revDoc)) return report([], []);

  const lc = lifecycleOf(options);
  const cmp = new SchemaComparer(base, rev, lc);
  const bOps = operationsOf(baseDoc, base);
  const rOps = operationsOf(revDoc, rev);
  const removed = [...bOps.values()].filter((o) => !rOps.has(o.key));
  const added = [...rOps.values()].filter((o) => !bOps.has(o.key));
  const moves = findMoves(removed, added, namespace);
  const moved = new Set(moves.flat());
  const pairs: [OperationEntry, OperationEntry][] = [...bOps.values()]
    .filter((o) => rOps.has(o.key))
    .map((o) => [o, rOps.get(o.key)!]);

  const changes: SpecChange[] = [];
  const namespaceFindings: SpecChange[] = [];
  const usedBy = new Map<string, string[]>();
  const changedOps: OperationEntry[] = [];
  for (const [b, r] of [...pairs, ...moves]) {
    const result = compareOperation(cmp, b, r, lc);
    const own = [...result.changes, ...compareSecurity(b, r, baseDoc, revDoc)];
    changes.push(...own);
    let modelChanged = false;
    // Follow the model pairs this operation reaches (visited set: recursive models are normal).
    const queue = [...result.reached];
    const visited = new Set(queue);
    while (queue.length) {
      const unit = cmp.unit(queue.pop()!);
      if (unit.changes.length) {
        modelChanged = true;
        const ops = usedBy.get(unit.key) ?? [];
        if (!ops.includes(r.label)) ops.push(r.label);
        usedBy.set(unit.key, ops);
      }
      for (const c of unit.children) if (!visited.has(c)) visited.add(c), queue.push(c);
    }
    if (moved.has(r)) {
      const finding = moveFinding(b, r, namespace);
      changes.push(finding);
      namespaceFindings.push(finding);
    } else if (own.length || modelChanged) changedOps.push(r);
  }
  // One model change, reported once, with every operation it affects.
  for (const [key, ops] of usedBy) {
    const unit = cmp.unit(key);
    const name =
      unit.baseRef === unit.revRef ? refName(unit.baseRef) : `${refName(unit.baseRef)} → ${refName(unit.revRef)}`;
    for (const c of toChanges(
      unit.changes,
      unit.context,
      ops[0]!,
      `schema ${name}`,
      `Model \`${name}\` in ${CONTEXT_WORDS[unit.context]}`,
    )) {
      if (ops.length > 1) c.alsoAffects = ops.slice(1);
      changes.push(c);
    }
  }
  for (const b of removed) {
    if (moved.has(b)) continue;
    const stability = stabilityOf(b.op);
    if ('error' in stability)
      changes.push({
        severity: 'breaking',
        rule: 'endpoint-stability-invalid',
        operation: b.label,
        location: '',
        message: `${b.label}: ${stability.error}.`,
      });
    const found = b.webhook
      ? { severity: 'breaking' as const, rule: 'webhook-removed', message: `${b.label} was removed.` }
      : removal(b.op, lc, 'endpoint', b.label, { severity: 'breaking', rule: 'endpoint-removed', why: '' });
    changes.push({ ...found, operation: b.label, location: '' });
  }
  const newOps = added.filter((a) => !moved.has(a));
  for (const r of newOps)
    changes.push({
      severity: 'non-breaking',
      rule: r.webhook ? 'webhook-added' : 'endpoint-added',
      operation: r.label,
      location: '',
      message: `${r.label} was added.`,
    });
  changes.push(...compareSecuritySchemes(baseDoc, revDoc));
  namespaceFindings.push(...outsideFindings(newOps, changedOps, namespace));
  const out = report(applyProfile(changes, options.profile, options.overrides), namespaceFindings);
  const notes = rulebookNotes(options);
  return notes.length ? { ...out, notes } : out;
}

/** Say when the levels are not this project's defaults, so a reader knows why a verdict differs. */
function rulebookNotes(options: DiffOptions): string[] {
  const notes: string[] = [];
  if (options.profile === 'oasdiff')
    notes.push('levels: oasdiff profile (its ERR/WARN/INFO as breaking/warning/non-breaking)');
  const n = Object.keys(options.overrides ?? {}).length;
  if (n) notes.push(`levels: ${n} rule override${n > 1 ? 's' : ''} from the diff config`);
  return notes;
}

function report(changes: SpecChange[], namespaceFindings: SpecChange[]): DiffReport {
  changes.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      a.operation.localeCompare(b.operation) ||
      a.location.localeCompare(b.location),
  );
  return { summary: summarise(changes), changes, namespaceFindings };
}

/** Count changes by severity; entries accepted by an ignore file are not counted. */
export function summarise(changes: SpecChange[]): DiffReport['summary'] {
  const live = changes.filter((c) => !c.ignored);
  return {
    breaking: live.filter((c) => c.severity === 'breaking').length,
    warning: live.filter((c) => c.severity === 'warning').length,
    nonBreaking: live.filter((c) => c.severity === 'non-breaking').length,
  };
}
