/** Operation-level rules: parameters, request bodies, metadata (responses: response-compare.ts). */
import type { SpecChange } from '../../ports/spec-diff.ts';
import { compareLifecycle, type Lifecycle, removal } from './deprecation.ts';
import { toChanges, type OperationEntry } from './findings.ts';
import { isObject, type Json, type JsonObject } from './json.ts';
import type { Resolver } from './refs.ts';
import type { SchemaContext } from './rules.ts';
import type { SchemaComparer } from './schema-compare.ts';
import { type Add, compareResponses, content, isJsonMediaType, type SchemaFn } from './response-compare.ts';

/** The result of comparing one operation pair. */
export interface OperationResult {
  changes: SpecChange[];
  /** Unit keys (model pairs) the operation's schemas refer to directly. */
  reached: Set<string>;
}

/** Compare two versions of an operation. */
export function compareOperation(
  cmp: SchemaComparer,
  b: OperationEntry,
  r: OperationEntry,
  lc: Lifecycle,
): OperationResult {
  const result: OperationResult = { changes: [], reached: new Set() };
  const operation = r.label;
  const add: Add = (severity, rule, location, message) =>
    void result.changes.push({ severity, rule, operation, location, message });
  const schema = (
    bs: Json | undefined,
    rs: Json | undefined,
    context: SchemaContext,
    location: string,
    where: string,
    mediaType?: string,
  ): void => {
    if (bs === undefined && rs === undefined) return;
    if (bs === undefined || rs === undefined) {
      const added = bs === undefined;
      const isRequest = context === 'request' || context === 'parameter';
      // A response schema removed stops describing the body; the body itself may be unchanged (oasdiff: WARN).
      const severity = isRequest ? (added ? 'breaking' : 'non-breaking') : added ? 'non-breaking' : 'warning';
      add(
        severity,
        `${context}-schema-${added ? 'added' : 'removed'}`,
        location,
        `${where}: a schema was ${added ? 'added' : 'removed'}.`,
      );
      return;
    }
    const w = cmp.walk(context);
    if (mediaType !== undefined && !isJsonMediaType(mediaType)) w.looselyTyped = true;
    cmp.compare(bs, rs, '', w);
    result.changes.push(...toChanges(w.out, context, operation, location, where));
    for (const k of w.reached) result.reached.add(k);
  };

  compareMetadata(b.op, r.op, add);
  if (b.op.deprecated !== true && r.op.deprecated === true)
    add('non-breaking', 'endpoint-deprecated', '', `${operation} was deprecated.`);
  if (b.op.deprecated === true && r.op.deprecated !== true)
    add('non-breaking', 'endpoint-reactivated', '', `${operation} is no longer deprecated.`);
  compareLifecycle(b.op, r.op, lc, 'endpoint', operation, '', add);
  compareParameters(cmp, b, r, add, schema, lc);
  compareRequestBody(cmp, b, r, add, schema);
  compareResponses(cmp, b, r, add, schema);
  return result;
}

/** operationId and tags: names generated clients and docs use; no effect on the wire. */
function compareMetadata(b: JsonObject, r: JsonObject, add: Add): void {
  const [bid, rid] = [b.operationId, r.operationId].map((x) => (x === undefined ? undefined : String(x)));
  if (bid !== undefined && rid !== undefined && bid !== rid)
    add(
      'warning',
      'operation-id-changed',
      'operationId',
      `operationId changed from "${bid}" to "${rid}" (generated clients rename the method).`,
    );
  else if (bid === undefined && rid !== undefined)
    add('non-breaking', 'operation-id-added', 'operationId', `operationId "${rid}" was added.`);
  else if (bid !== undefined && rid === undefined)
    add('non-breaking', 'operation-id-removed', 'operationId', `operationId "${bid}" was removed.`);
  const tags = (x: JsonObject): string[] => (Array.isArray(x.tags) ? x.tags.map(String) : []);
  for (const t of tags(b))
    if (!tags(r).includes(t)) add('non-breaking', 'tag-removed', 'tags', `Tag "${t}" was removed.`);
  for (const t of tags(r)) if (!tags(b).includes(t)) add('non-breaking', 'tag-added', 'tags', `Tag "${t}" was added.`);
}

function parameters(entry: OperationEntry, resolver: Resolver): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  const names = [...entry.path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]);
  for (const list of [entry.pathItem.parameters, entry.op.parameters]) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const p = resolver.deref(raw).node;
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
      // Path parameters are matched by position, so `{item_id}` → `{id}` is not a change.
      const key =
        p.in === 'path'
          ? `path:${names.indexOf(p.name) >= 0 ? names.indexOf(p.name) : p.name}`
          : p.in === 'header'
            ? `header:${p.name.toLowerCase()}`
            : `${p.in}:${p.name}`;
      out.set(key, p); // operation-level parameters override path-level ones
    }
  }
  return out;
}

const STYLE_DEFAULT: Record<string, string> = { query: 'form', cookie: 'form', path: 'simple', header: 'simple' };

function paramSchema(p: JsonObject): Json | undefined {
  if (p.schema !== undefined) return p.schema;
  const content = isObject(p.content) ? Object.values(p.content)[0] : undefined;
  return isObject(content) ? content.schema : undefined;
}

function compareParameters(
  cmp: SchemaComparer,
  b: OperationEntry,
  r: OperationEntry,
  add: Add,
  schema: SchemaFn,
  lc: Lifecycle,
): void {
  const bp = parameters(b, cmp.base);
  const rp = parameters(r, cmp.rev);
  const title = (p: JsonObject): string =>
    `${String(p.in).charAt(0).toUpperCase()}${String(p.in).slice(1)} parameter \`${String(p.name)}\``;
  for (const [key, p] of bp) {
    const q = rp.get(key);
    const loc = `${String(p.in)}.${String((q ?? p).name)}`;
    if (!q) {
      const found = removal(p, lc, 'request-parameter', title(p), {
        severity: 'breaking',
        rule: 'request-parameter-removed',
        why: ' (clients that send it lose its effect)',
      });
      add(found.severity, found.rule, loc, found.message);
      continue;
    }
    if (p.required !== true && q.required === true)
      add('breaking', 'request-parameter-became-required', loc, `${title(q)} became required.`);
    if (p.required === true && q.required !== true)
      add('non-breaking', 'request-parameter-became-optional', loc, `${title(q)} became optional.`);
    const style = (x: JsonObject): string =>
      typeof x.style === 'string' ? x.style : (STYLE_DEFAULT[String(x.in)] ?? 'form');
    const explode = (x: JsonObject): boolean => (typeof x.explode === 'boolean' ? x.explode : style(x) === 'form');
    if (style(p) !== style(q))
      add(
        'breaking',
        'request-parameter-style-changed',
        loc,
        `${title(q)} serialisation style changed from ${style(p)} to ${style(q)}.`,
      );
    if (explode(p) !== explode(q))
      add(
        'breaking',
        'request-parameter-explode-changed',
        loc,
        `${title(q)} explode changed from ${explode(p)} to ${explode(q)}.`,
      );
    if (p.allowEmptyValue === true && q.allowEmptyValue !== true)
      add('breaking', 'request-parameter-empty-value-disallowed', loc, `${title(q)} no longer allows an empty value.`);
    if (p.deprecated !== true && q.deprecated === true)
      add('non-breaking', 'request-parameter-deprecated', loc, `${title(q)} was deprecated.`);
    if (p.deprecated === true && q.deprecated !== true)
      add('non-breaking', 'request-parameter-reactivated', loc, `${title(q)} is no longer deprecated.`);
    compareLifecycle(p, q, lc, 'request-parameter', title(q), loc, add);
    schema(paramSchema(p), paramSchema(q), 'parameter', loc, title(q));
  }
  for (const [key, q] of rp) {
    if (bp.has(key)) continue;
    const loc = `${String(q.in)}.${String(q.name)}`;
    if (q.required === true)
      add(
        'breaking',
        'request-parameter-added-required',
        loc,
        `New required ${title(q).charAt(0).toLowerCase()}${title(q).slice(1)} was added.`,
      );
    else
      add(
        'non-breaking',
        'request-parameter-added',
        loc,
        `New optional ${title(q).charAt(0).toLowerCase()}${title(q).slice(1)} was added.`,
      );
  }
}

function compareRequestBody(
  cmp: SchemaComparer,
  b: OperationEntry,
  r: OperationEntry,
  add: Add,
  schema: SchemaFn,
): void {
  const bb = cmp.base.deref(b.op.requestBody).node;
  const rb = cmp.rev.deref(r.op.requestBody).node;
  if (!isObject(bb) && !isObject(rb)) return;
  if (!isObject(bb)) {
    if (isObject(rb) && rb.required === true)
      add('breaking', 'request-body-added-required', 'request.body', 'A required request body was added.');
    else add('non-breaking', 'request-body-added', 'request.body', 'An optional request body was added.');
    return;
  }
  if (!isObject(rb))
    return add(
      'breaking',
      'request-body-removed',
      'request.body',
      'The request body was removed (clients that send one may be rejected).',
    );
  if (bb.required !== true && rb.required === true)
    add('breaking', 'request-body-became-required', 'request.body', 'The request body became required.');
  if (bb.required === true && rb.required !== true)
    add('non-breaking', 'request-body-became-optional', 'request.body', 'The request body became optional.');
  const bc = content(bb.content);
  const rc = content(rb.content);
  for (const [mt, m] of bc) {
    const n = rc.get(mt);
    const loc = `request.body[${mt}]`;
    if (!n) add('breaking', 'request-media-type-removed', loc, `The request body no longer accepts ${mt}.`);
    else schema(m.schema, n.schema, 'request', loc, `Request body (${mt})`, mt);
  }
  for (const mt of rc.keys())
    if (!bc.has(mt))
      add(
        'non-breaking',
        'request-media-type-added',
        `request.body[${mt}]`,
        `The request body now also accepts ${mt}.`,
      );
}
