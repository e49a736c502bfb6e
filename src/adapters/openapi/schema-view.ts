/**
 * Normalised view of a schema position: unwraps FastAPI/pydantic wrappers so that
 * `anyOf: [T, {type: 'null'}]`, 3.1 `type: [T, 'null']`, 3.0 `nullable: true` and the pydantic v1
 * `allOf: [{$ref}]` all read as "T, nullable". Without this, every Optional[...] field FastAPI
 * emits would look like a composition change.
 */
import { isObject, type Json, type JsonObject } from './json.ts';
import type { Resolver } from './refs.ts';

/** A schema position after unwrapping. */
export interface SchemaView {
  /** The unwrapped schema; may still be a `{$ref}` node. */
  target: Json | undefined;
  /** Set by a wrapper (`anyOf [T, null]`, `nullable` on an allOf wrapper). */
  wrapperNullable: boolean;
  /** Annotations found on wrappers (default, readOnly, writeOnly, deprecated), outermost first. */
  meta: JsonObject;
}

const ANNOTATIONS = new Set([
  'description',
  'title',
  'default',
  'example',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'nullable',
  '$comment',
  'externalDocs',
  'xml',
]);
const META_KEYS = ['default', 'readOnly', 'writeOnly', 'deprecated'] as const;

/** A subschema that constrains nothing (only title, description, examples, …): `allOf: [{description}]`. */
export function isAnnotationOnly(node: Json | undefined, resolver: Resolver): boolean {
  const n = resolver.deref(node).node;
  return isObject(n) && Object.keys(n).every((k) => ANNOTATIONS.has(k) && k !== 'nullable');
}

function onlyAnnotations(node: JsonObject, except: string): boolean {
  return Object.keys(node).every((k) => k === except || ANNOTATIONS.has(k) || k.startsWith('x-'));
}

function isNullSchema(node: Json | undefined, resolver: Resolver): boolean {
  const n = resolver.deref(node).node;
  return isObject(n) && n.type === 'null' && onlyAnnotations(n, 'type');
}

/** Unwrap nullable/anyOf/allOf wrappers around one schema position. */
export function viewOf(node: Json | undefined, resolver: Resolver): SchemaView {
  const meta: JsonObject = {};
  let wrapperNullable = false;
  let current: Json | undefined = node;
  for (let i = 0; i < 4 && isObject(current) && typeof current.$ref !== 'string'; i++) {
    const wrapper: JsonObject = current;
    let inner: Json | undefined;
    for (const key of ['anyOf', 'oneOf'] as const) {
      const branches = wrapper[key];
      if (Array.isArray(branches) && branches.length === 2 && onlyAnnotations(wrapper, key)) {
        const nullAt = branches.findIndex((b) => isNullSchema(b, resolver));
        if (nullAt >= 0 && !isNullSchema(branches[1 - nullAt], resolver)) {
          inner = branches[1 - nullAt];
          wrapperNullable = true;
        }
      }
    }
    const all = wrapper.allOf;
    if (inner === undefined && Array.isArray(all) && all.length === 1 && onlyAnnotations(wrapper, 'allOf')) {
      inner = all[0];
      if (wrapper.nullable === true) wrapperNullable = true;
    }
    if (inner === undefined) break;
    for (const k of META_KEYS) if (wrapper[k] !== undefined && meta[k] === undefined) meta[k] = wrapper[k];
    current = inner;
  }
  return { target: current, wrapperNullable, meta };
}

/** The declared types of a resolved schema without "null"; null = unconstrained. */
export function typesOf(node: JsonObject): Set<string> | null {
  const t = node.type;
  let types: Set<string> | null = null;
  if (typeof t === 'string') types = new Set([t]);
  else if (Array.isArray(t)) types = new Set(t.filter((x): x is string => typeof x === 'string'));
  if (types) types.delete('null');
  return types && types.size > 0 ? types : null;
}

/** Whether a resolved schema itself admits null (3.0 `nullable`, 3.1 type list, `type: null`). */
export function admitsNull(node: JsonObject): boolean {
  const t = node.type;
  if (node.nullable === true) return true;
  if (t === 'null') return true;
  return Array.isArray(t) && t.includes('null');
}

/** A best guess at the type when none is declared, so `{properties}` and `{type: object}` compare equal. */
export function inferredTypes(node: JsonObject): Set<string> | null {
  const declared = typesOf(node);
  if (declared) return declared;
  if (isObject(node.properties) || node.additionalProperties !== undefined) return new Set(['object']);
  if (node.items !== undefined) return new Set(['array']);
  return null;
}

/** The readOnly/writeOnly/default/deprecated annotations of a view: wrapper first, then the schema. */
export function metaOf(view: SchemaView, resolved: JsonObject | undefined): JsonObject {
  const out: JsonObject = { ...view.meta };
  if (resolved) for (const k of META_KEYS) if (out[k] === undefined && resolved[k] !== undefined) out[k] = resolved[k];
  return out;
}
