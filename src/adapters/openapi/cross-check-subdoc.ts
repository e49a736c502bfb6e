/**
 * Two small OpenAPI 3.0 documents holding only the JSON bodies of the operations our engine found
 * changed, with the component schemas they reference inlined: what the openapi-diff cross-check
 * compares. openapi-diff's cost explodes with spec size (issue 4), hence only those operations;
 * operations using 3.1-only keywords are left out (see cross-check-downconvert.ts).
 */
import { operationsOf, type OperationEntry } from './findings.ts';
import { isObject, type Json, type JsonObject } from './json.ts';
import { Resolver } from './refs.ts';
import { downConvert, Unconvertible } from './cross-check-downconvert.ts';

const JSON_MEDIA = 'application/json';

/** The sub-documents, which synthetic path stands for which operation, and what was left out. */
export interface SubDocs {
  base: JsonObject;
  revision: JsonObject;
  /** "/op-3" → "POST /api/autorisen/items/" (the revision's label, as in the report). */
  labels: Map<string, string>;
  /** One reason per operation left out. */
  leftOut: string[];
}

/** Build the sub-documents for the operations labelled `labels` (at most `maxOps` of them). */
export function buildSubDocs(baseDoc: JsonObject, revDoc: JsonObject, labels: string[], maxOps: number): SubDocs {
  const bRes = new Resolver(baseDoc, 'The base document');
  const rRes = new Resolver(revDoc, 'The revision document');
  const bOps = operationsOf(baseDoc, bRes);
  const rByLabel = new Map([...operationsOf(revDoc, rRes).values()].map((e) => [e.label, e]));
  const base = side(bRes);
  const revision = side(rRes);
  const out: SubDocs = { base: base.doc, revision: revision.doc, labels: new Map(), leftOut: [] };
  for (const label of labels) {
    const r = rByLabel.get(label);
    const b = r && !r.webhook ? bOps.get(r.key) : undefined;
    if (!r || !b) continue; // added, removed or moved: nothing to compare body to body
    if (out.labels.size >= maxOps) {
      out.leftOut.push(`${label}: over the limit of ${maxOps} operations`);
      continue;
    }
    const synthetic = `/op-${out.labels.size + 1}`;
    try {
      const bOp = base.operation(b);
      const rOp = revision.operation(r);
      if (!bOp && !rOp) continue; // no JSON bodies on either side
      base.add(synthetic, b.method, bOp);
      revision.add(synthetic, r.method, rOp);
      out.labels.set(synthetic, label);
    } catch (err) {
      if (!(err instanceof Unconvertible)) throw err;
      out.leftOut.push(`${label}: ${err.message}`);
    }
  }
  return out;
}

/** Most schema nodes inlined per body: linked models form a DAG, and inlining a DAG can grow fast. */
const MAX_INLINE_NODES = 20_000;
/** Schema keywords whose values are data, not schemas. */
const LITERAL = new Set(['enum', 'example', 'default', 'required', 'discriminator', 'xml', 'externalDocs']);

/** One side's sub-document under construction. */
function side(res: Resolver) {
  const doc: JsonObject = { openapi: '3.0.3', info: { title: 'cross-check', version: '0' }, paths: {} };
  const paths = doc.paths as JsonObject;
  const converted = new Map<string, Json>();
  const component = (ref: string): Json => {
    let hit = converted.get(ref);
    if (hit === undefined) {
      hit = downConvert(res.pointer(ref), () => undefined);
      converted.set(ref, hit);
    }
    return hit;
  };
  /**
   * Inline every component ref. openapi-diff fails on any circular $ref ("Circular $ref pointer
   * found", issue 4), so a ref back into a model already being inlined becomes `{}` (anything):
   * both sides get the same cut, so a recursive model is compared one level deep, never invented.
   */
  const schemaOf = (node: Json | undefined): Json => {
    let budget = MAX_INLINE_NODES;
    // `names`: n maps names to schemas (properties), so no key of it is a keyword.
    const inline = (n: Json, path: string[], names = false): Json => {
      if (--budget < 0)
        throw new Unconvertible(
          `has JSON bodies too large to hand to openapi-diff (over ${MAX_INLINE_NODES} schema nodes)`,
        );
      if (Array.isArray(n)) return n.map((x) => inline(x, path));
      if (!isObject(n)) return n;
      if (!names && typeof n.$ref === 'string')
        return path.includes(n.$ref) ? {} : inline(component(n.$ref), [...path, n.$ref]);
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(n))
        out[k] = !names && LITERAL.has(k) ? v : inline(v, path, !names && k === 'properties');
      return out;
    };
    return inline(
      downConvert(node ?? {}, () => undefined),
      [],
    );
  };
  const jsonBody = (holder: Json | undefined): JsonObject | undefined => {
    const h = res.deref(holder).node;
    const media = isObject(h) && isObject(h.content) ? h.content[JSON_MEDIA] : undefined;
    if (!isObject(media) || media.schema === undefined) return undefined;
    return { [JSON_MEDIA]: { schema: schemaOf(media.schema) } };
  };

  return {
    doc,
    /** The operation with only its JSON bodies, or undefined when it has none. */
    operation(e: OperationEntry): JsonObject | undefined {
      const op: JsonObject = { responses: {} };
      const request = jsonBody(e.op.requestBody);
      if (request) op.requestBody = { content: request };
      const responses = op.responses as JsonObject;
      if (isObject(e.op.responses)) {
        for (const [status, raw] of Object.entries(e.op.responses)) {
          const content = jsonBody(raw);
          if (content) responses[status] = { description: 'response', content };
        }
      }
      if (!request && Object.keys(responses).length === 0) return undefined;
      // openapi-diff validates against the 3.0 schema, which needs at least one response.
      if (Object.keys(responses).length === 0) responses.default = { description: 'response' };
      return op;
    },
    add(path: string, method: string, op: JsonObject | undefined): void {
      paths[path] = { [method]: op ?? { responses: { default: { description: 'response' } } } };
    },
  };
}
