/**
 * The openapi-diff cross-check (issue 4): a second opinion on the JSON bodies of the operations our
 * engine found changed. openapi-diff's set-based comparison of JSON Schemas sometimes sees what
 * rule-based checks do not (e.g. a property added to a response that forbade additional
 * properties), but alone it is slow, 3.0-only and recursion-intolerant (issue 4 measurements), so
 * it only ever sees small sub-documents, in a capped worker. Whatever it calls breaking that our
 * engine did not becomes a `cross-check-openapi-diff` warning; if it cannot run, the report says why.
 */
import type { DiffReport, SpecChange } from '../../ports/spec-diff.ts';
import type { DiffCrossCheck } from '../../services/diff-service.ts';
import { summarise } from './engine.ts';
import { isObject } from './json.ts';
import { buildSubDocs } from './cross-check-subdoc.ts';
import { runOpenApiDiff, type ForeignFinding, type RunLimits } from './cross-check-run.ts';

export const CROSS_CHECK_RULE = 'cross-check-openapi-diff';

export interface CrossCheckOptions extends RunLimits {
  /** Most operations handed to openapi-diff in one run (its cost grows fast with size). */
  maxOperations: number;
}

/**
 * Defaults: 5 s and 256 MiB keep a Slack command responsive and the dyno (512 MiB on Heroku's
 * standard-1X) alive; openapi-diff needs ~3 s / 141 MiB for 50 operations (issue 4).
 */
export const DEFAULT_CROSS_CHECK: CrossCheckOptions = {
  timeoutMs: 5_000,
  maxOldGenerationSizeMb: 256,
  maxOperations: 50,
};

/** Rules that name an operation present on one side only: nothing to compare body to body. */
const ONE_SIDED = /^(endpoint|webhook)-(added|removed)$|^namespace-route-moved/;

/** Build the cross-check the diff service runs for the Slack command and `autorisen diff --cross-check`. */
export function createOpenApiDiffCrossCheck(options: Partial<CrossCheckOptions> = {}): DiffCrossCheck {
  const o = { ...DEFAULT_CROSS_CHECK, ...options };
  return {
    async run(base, revision, report) {
      const labels = changedOperations(report);
      if (labels.length === 0 || !isObject(base) || !isObject(revision)) return { report, complete: true };
      const sub = buildSubDocs(base, revision, labels, o.maxOperations);
      const notes: string[] = [];
      if (sub.leftOut.length)
        notes.push(
          `cross-check left out ${sub.leftOut.length} operation${sub.leftOut.length === 1 ? '' : 's'}: ${sub.leftOut.slice(0, 3).join('; ')}${sub.leftOut.length > 3 ? '; …' : ''}`,
        );
      if (sub.labels.size === 0)
        return {
          report: withNotes(report, [
            ...notes,
            'cross-check skipped: no changed operation has a JSON body openapi-diff can compare',
          ]),
          complete: true,
        };
      const result = await runOpenApiDiff(JSON.stringify(sub.base), JSON.stringify(sub.revision), o);
      if (result.kind !== 'ok')
        return {
          report: withNotes(report, [...notes, `cross-check skipped: ${result.reason}`]),
          complete: result.kind === 'refused',
        };
      const extra = unmatched(result.breaking, sub.labels, report);
      const n = sub.labels.size;
      notes.push(
        `cross-check: openapi-diff compared the JSON bodies of ${n} changed operation${n === 1 ? '' : 's'}${extra.length ? ` and flagged ${extra.length} more (warnings)` : ' and found nothing more'}`,
      );
      const order = { breaking: 0, warning: 1, 'non-breaking': 2 } as const;
      // Stable sort: the engine's order within a severity is kept, the cross-check's warnings join the warnings.
      const changes = [...report.changes, ...extra].sort((a, b) => order[a.severity] - order[b.severity]);
      return { report: withNotes({ ...report, changes, summary: summarise(changes) }, notes), complete: true };
    },
  };
}

/** Operations the engine reported a change in, in report order, without repeats. */
export function changedOperations(report: DiffReport): string[] {
  const out = new Set<string>();
  for (const c of report.changes) {
    if (ONE_SIDED.test(c.rule) || c.rule === CROSS_CHECK_RULE) continue;
    if (c.operation) out.add(c.operation);
    for (const op of c.alsoAffects ?? []) out.add(op);
  }
  return [...out];
}

const LOCATION = /^paths\.(\/op-\d+)\.([a-z]+)\.(requestBody|responses)(?:\.([^.]+))?/;

/** openapi-diff's breaking findings on an operation side where our engine found nothing breaking. */
function unmatched(found: ForeignFinding[], labels: Map<string, string>, report: DiffReport): SpecChange[] {
  const out = new Map<string, SpecChange>();
  for (const f of found) {
    const m = LOCATION.exec(f.location);
    const label = m ? labels.get(m[1]!) : undefined;
    if (!m || !label) continue;
    const side = m[3] === 'requestBody' ? 'request' : 'response';
    if (engineBreaks(report, label, side)) continue;
    const where =
      side === 'request' ? 'request.body[application/json]' : `response[${m[4] ?? '?'}].body[application/json]`;
    const what = side === 'request' ? 'request body' : `response ${m[4] ?? ''} body`.replace('  ', ' ');
    // One finding per kind of change, with every operation it shows up on (like model changes).
    const key = `${where} ${f.code}`;
    const seen = out.get(key);
    if (seen) {
      if (seen.operation !== label && !seen.alsoAffects?.includes(label))
        seen.alsoAffects = [...(seen.alsoAffects ?? []), label];
      continue;
    }
    out.set(key, {
      severity: 'warning',
      rule: CROSS_CHECK_RULE,
      operation: label,
      location: where,
      message: `openapi-diff calls a change to the ${what} breaking (${f.code}) where our engine found nothing breaking; check it by hand.`,
    });
  }
  return [...out.values()];
}

function engineBreaks(report: DiffReport, label: string, side: 'request' | 'response'): boolean {
  return report.changes.some(
    (c) =>
      c.severity === 'breaking' &&
      c.rule.startsWith(side) &&
      (c.operation === label || (c.alsoAffects ?? []).includes(label)),
  );
}

function withNotes(report: DiffReport, notes: string[]): DiffReport {
  return notes.length ? { ...report, notes: [...(report.notes ?? []), ...notes] } : report;
}
