/** `.autorisen-diff-ignore.yml`: accepted breaks with a reason, an owner and an expiry date. */
import { parseYaml } from '../../yaml.ts';
import { AppError } from '../../errors.ts';
import type { DiffReport, SpecChange } from '../../ports/spec-diff.ts';
import { summarise } from './engine.ts';
import { isObject } from './json.ts';

/** One accepted break. `operation` omitted or "*" matches every operation. */
export interface IgnoreEntry {
  rule: string;
  operation: string;
  reason: string;
  owner: string;
  /** YYYY-MM-DD; the entry stops applying after this day (UTC). */
  expires: string;
}

/** YAML of a settings file (the ignore file, the diff config), or spec_invalid naming the file. */
export function parseSettingsYaml(text: string, label: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new AppError('spec_invalid', `${label} is not valid YAML (${(err as Error).message.split('\n')[0]}).`, {
      cause: err,
    });
  }
}

/** Parse the ignore file text; every problem is listed in one spec_invalid error. */
export function parseIgnoreFile(text: string, label: string): IgnoreEntry[] {
  const raw = parseSettingsYaml(text, label);
  const list =
    isObject(raw) && Array.isArray(raw.ignore) ? raw.ignore : Array.isArray(raw) ? raw : raw == null ? [] : null;
  if (!list) throw new AppError('spec_invalid', `${label}: expected a list of entries under "ignore:".`);
  const problems: string[] = [];
  const out: IgnoreEntry[] = [];
  list.forEach((item, i) => {
    const e = isObject(item) ? item : {};
    const str = (k: string): string =>
      typeof e[k] === 'string'
        ? (e[k] as string)
        : e[k] instanceof Date
          ? (e[k] as unknown as Date).toISOString().slice(0, 10)
          : '';
    for (const k of ['rule', 'reason', 'owner', 'expires'])
      if (!str(k)) problems.push(`entry ${i + 1}: "${k}" is required`);
    if (str('expires') && !/^\d{4}-\d{2}-\d{2}$/.test(str('expires')))
      problems.push(`entry ${i + 1}: "expires" must be a date like 2026-12-31`);
    out.push({
      rule: str('rule'),
      operation: str('operation') || '*',
      reason: str('reason'),
      owner: str('owner'),
      expires: str('expires'),
    });
  });
  if (problems.length) throw new AppError('spec_invalid', `${label}: ${problems.join('; ')}.`);
  return out;
}

/** Mark accepted changes as ignored; expired entries are reported as warnings instead of applied. */
export function applyIgnores(report: DiffReport, entries: IgnoreEntry[], today: string): DiffReport {
  const changes: SpecChange[] = report.changes.map((c) => ({ ...c }));
  const notes: SpecChange[] = [];
  for (const e of entries) {
    const matches = changes.filter(
      (c) =>
        c.rule === e.rule &&
        (e.operation === '*' || c.operation === e.operation || c.alsoAffects?.includes(e.operation)),
    );
    if (e.expires < today) {
      if (matches.length) {
        notes.push({
          severity: 'warning',
          rule: 'ignore-entry-expired',
          operation: e.operation === '*' ? '' : e.operation,
          location: 'ignore file',
          message: `The ignore entry for ${e.rule}${e.operation === '*' ? '' : ` on ${e.operation}`} (owner ${e.owner}) expired on ${e.expires}; its change is reported again.`,
        });
      }
      continue;
    }
    for (const c of matches) c.ignored = { reason: e.reason, owner: e.owner, expires: e.expires };
  }
  const all = [...changes, ...notes];
  return { ...report, changes: all, summary: summarise(all) };
}
