/** Turning raw schema changes into report entries, and the operation index of a document. */
import type { SpecChange } from '../../ports/spec-diff.ts';
import { isObject, type Json, type JsonObject } from './json.ts';
import type { Resolver } from './refs.ts';
import { ruleId, severityOf, type RawChange, type SchemaContext } from './rules.ts';

/** Describe a path inside a schema for a sentence. */
export function subject(at: string): string {
  if (at === '') return '';
  return `, property \`${at.replace(/^\./, '')}\``;
}

/** Convert the raw changes of one schema walk into report entries. */
export function toChanges(
  raws: RawChange[],
  context: SchemaContext,
  operation: string,
  location: string,
  where: string,
): SpecChange[] {
  return raws.map((c) => ({
    severity: severityOf(c.kind, c.effect, context),
    rule: ruleId(c.kind, context),
    operation,
    location: location + c.at,
    message: `${where}${subject(c.at)}: ${c.text}.`,
  }));
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation of a document. */
export interface OperationEntry {
  /** "GET /items/{}" — path params normalised so renaming one is not a change. */
  key: string;
  /** "GET /items/{id}" as written in the document (for messages). */
  label: string;
  method: string;
  path: string;
  op: JsonObject;
  pathItem: JsonObject;
  webhook: boolean;
}

/** `/items/{item_id}` → `/items/{}`. */
export function normalisePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

/** Every operation of paths (and 3.1 webhooks), keyed by normalised method + path. */
export function operationsOf(doc: JsonObject, resolver: Resolver): Map<string, OperationEntry> {
  const out = new Map<string, OperationEntry>();
  const add = (group: Json | undefined, webhook: boolean): void => {
    if (!isObject(group)) return;
    for (const [path, raw] of Object.entries(group)) {
      const pathItem = resolver.deref(raw).node;
      if (!isObject(pathItem)) continue;
      for (const method of METHODS) {
        const op = pathItem[method];
        if (!isObject(op)) continue;
        const label = webhook ? `WEBHOOK ${path} ${method.toUpperCase()}` : `${method.toUpperCase()} ${path}`;
        const key = webhook ? label : `${method.toUpperCase()} ${normalisePath(path)}`;
        if (!out.has(key)) out.set(key, { key, label, method, path, op, pathItem, webhook });
      }
    }
  };
  add(doc.paths, false);
  add(doc.webhooks, true);
  return out;
}
