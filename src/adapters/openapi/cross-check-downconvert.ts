/**
 * OpenAPI 3.1 schema → 3.0 schema, where that is trivial, for the openapi-diff cross-check:
 * openapi-diff 0.24.1 rejects 3.1 documents ("Unsupported OpenAPI version: 3.1.0") and validates its
 * input against the 3.0 schema. FastAPI 0.110 writes nullability as `anyOf: [T, {type: "null"}]`
 * and pydantic as `type: [T, "null"]`; both become 3.0's `nullable: true`. Anything without a 3.0
 * spelling throws Unconvertible, and the caller leaves that operation out of the cross-check.
 */
import { isObject, type Json, type JsonObject } from './json.ts';

/** A keyword or shape OpenAPI 3.0 cannot express. */
export class Unconvertible extends Error {}

/** JSON Schema 2020-12 keywords with no OpenAPI 3.0 equivalent. */
const NO_3_0 = new Set([
  'prefixItems',
  'if',
  'then',
  'else',
  'dependentSchemas',
  'dependentRequired',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'minContains',
  'maxContains',
  'propertyNames',
  'patternProperties',
  '$defs',
  '$dynamicRef',
  '$dynamicAnchor',
  '$anchor',
]);
/** Annotations 3.0 does not allow in a schema and that do not change what is valid. */
const DROP = new Set(['$schema', '$id', '$comment', 'contentMediaType', 'contentEncoding', 'examples', '$vocabulary']);

const isNullSchema = (s: Json): boolean =>
  isObject(s) &&
  (s.type === 'null' || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === 'null')) &&
  Object.keys(s).every((k) => k === 'type' || k === 'title' || k === 'description');

/** Convert one schema (recursively). `$ref`s are kept; `onRef` sees each one. */
export function downConvert(node: Json, onRef: (ref: string) => void): Json {
  if (node === true) return {};
  if (node === false) return { not: {} };
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  let nullable = node.nullable === true;
  for (const [k, v] of Object.entries(node)) {
    if (NO_3_0.has(k)) throw new Unconvertible(`uses \`${k}\`, which OpenAPI 3.0 cannot express`);
    if (DROP.has(k)) continue;
    switch (k) {
      case '$ref':
        if (typeof v !== 'string' || !v.startsWith('#/components/schemas/'))
          throw new Unconvertible(`has a $ref outside components/schemas (${String(v)})`);
        onRef(v);
        out.$ref = v;
        break;
      case 'type': {
        const types = Array.isArray(v) ? v : [v];
        const real = types.filter((t) => t !== 'null');
        if (real.length !== types.length) nullable = true;
        if (real.length !== 1)
          throw new Unconvertible(real.length ? 'has a schema with several types' : 'has a schema of type null');
        out.type = real[0]!;
        break;
      }
      case 'const':
        out.enum = [v];
        break;
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        if (typeof v === 'number') {
          out[k === 'exclusiveMinimum' ? 'minimum' : 'maximum'] = v;
          out[k] = true;
        } else out[k] = v;
        break;
      case 'required':
        // 3.0 requires a non-empty list; pydantic writes [] for "nothing required".
        if (Array.isArray(v) && v.length > 0) out.required = v;
        break;
      case 'properties':
        if (isObject(v))
          out.properties = Object.fromEntries(Object.entries(v).map(([p, s]) => [p, downConvert(s, onRef)]));
        break;
      case 'items':
        if (Array.isArray(v)) throw new Unconvertible('uses tuple `items`, which OpenAPI 3.0 cannot express');
        out.items = downConvert(v, onRef);
        break;
      case 'additionalProperties':
      case 'not':
        out[k] = typeof v === 'boolean' && k === 'additionalProperties' ? v : downConvert(v, onRef);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf': {
        if (!Array.isArray(v)) break;
        const branches = v.filter((s) => !isNullSchema(s));
        if (branches.length !== v.length) nullable = true;
        if (branches.length === 0) throw new Unconvertible('has a schema of type null');
        out[k] = branches.map((s) => downConvert(s, onRef));
        break;
      }
      default:
        out[k] = v;
    }
  }
  return collapse(out, nullable);
}

/** Apply `nullable`, and turn `anyOf: [T]` (what is left of FastAPI's `anyOf: [T, null]`) into T. */
function collapse(out: JsonObject, nullable: boolean): JsonObject {
  for (const k of ['anyOf', 'oneOf'] as const) {
    const list = out[k];
    if (Array.isArray(list) && list.length === 1 && out.type === undefined && isObject(list[0])) {
      delete out[k];
      const only = list[0];
      // A lone $ref cannot carry siblings in 3.0; wrap it. Otherwise merge if no keyword collides.
      if (typeof only.$ref === 'string') out.allOf = [...(Array.isArray(out.allOf) ? out.allOf : []), only];
      else if (Object.keys(only).some((key) => key in out)) out[k] = list;
      else Object.assign(out, only);
    }
  }
  // 3.0 ignores siblings of $ref; keep their meaning by wrapping the ref in allOf.
  if (typeof out.$ref === 'string' && (Object.keys(out).length > 1 || nullable)) {
    out.allOf = [{ $ref: out.$ref }, ...(Array.isArray(out.allOf) ? out.allOf : [])];
    delete out.$ref;
  }
  if (nullable) out.nullable = true;
  else delete out.nullable;
  return out;
}
