/** Response rules: status codes, their bodies and headers, plus the helpers operation-compare.ts shares. */
import type { SpecChange } from '../../ports/spec-diff.ts';
import type { OperationEntry } from './findings.ts';
import { isObject, type Json, type JsonObject } from './json.ts';
import type { Resolver } from './refs.ts';
import type { SchemaContext } from './rules.ts';
import type { SchemaComparer } from './schema-compare.ts';

export type Add = (severity: SpecChange['severity'], rule: string, location: string, message: string) => void;

export type SchemaFn = (
  bs: Json | undefined,
  rs: Json | undefined,
  context: SchemaContext,
  location: string,
  where: string,
  /** The body's media type, when the schema is a body's. */
  mediaType?: string,
) => void;

/** JSON and `+json` media types are strongly typed; others (XML, forms, text) carry values as text. */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

/** Media type keys without parameters: "application/json; charset=utf-8" → "application/json". */
export function content(node: Json | undefined): Map<string, JsonObject> {
  const out = new Map<string, JsonObject>();
  if (!isObject(node)) return out;
  for (const [k, v] of Object.entries(node)) if (isObject(v)) out.set(k.split(';')[0]!.trim().toLowerCase(), v);
  return out;
}

function responses(node: Json | undefined): Map<string, Json> {
  const out = new Map<string, Json>();
  if (isObject(node))
    for (const [k, v] of Object.entries(node)) out.set(k.toUpperCase().replace('DEFAULT', 'default'), v);
  return out;
}

export function compareResponses(
  cmp: SchemaComparer,
  b: OperationEntry,
  r: OperationEntry,
  add: Add,
  schema: SchemaFn,
): void {
  const br = responses(b.op.responses);
  const rr = responses(r.op.responses);
  for (const [code, raw] of br) {
    const loc = `response[${code}]`;
    if (!rr.has(code)) {
      const success = code.startsWith('2') || code === 'default';
      add(
        success ? 'breaking' : 'warning',
        success ? 'response-status-removed' : 'response-non-success-status-removed',
        loc,
        `Response ${code} was removed.`,
      );
      continue;
    }
    const bn = cmp.base.deref(raw).node;
    const rn = cmp.rev.deref(rr.get(code)).node;
    if (!isObject(bn) || !isObject(rn)) continue;
    const bc = content(bn.content);
    const rc = content(rn.content);
    for (const [mt, m] of bc) {
      const n = rc.get(mt);
      if (!n)
        add(
          'breaking',
          'response-media-type-removed',
          `${loc}.body[${mt}]`,
          `Response ${code} no longer returns ${mt}.`,
        );
      else schema(m.schema, n.schema, 'response', `${loc}.body[${mt}]`, `Response ${code} (${mt})`, mt);
    }
    for (const mt of rc.keys())
      if (!bc.has(mt))
        add(
          'non-breaking',
          'response-media-type-added',
          `${loc}.body[${mt}]`,
          `Response ${code} may now also return ${mt}.`,
        );
    compareHeaders(cmp, code, bn.headers, rn.headers, add, schema);
  }
  for (const code of rr.keys())
    if (!br.has(code)) add('non-breaking', 'response-status-added', `response[${code}]`, `Response ${code} was added.`);
}

function compareHeaders(
  cmp: SchemaComparer,
  code: string,
  bh: Json | undefined,
  rh: Json | undefined,
  add: Add,
  schema: SchemaFn,
): void {
  const map = (h: Json | undefined, resolver: Resolver): Map<string, [string, JsonObject]> => {
    const out = new Map<string, [string, JsonObject]>();
    if (isObject(h))
      for (const [k, v] of Object.entries(h)) {
        const n = resolver.deref(v).node;
        if (isObject(n)) out.set(k.toLowerCase(), [k, n]);
      }
    return out;
  };
  const bm = map(bh, cmp.base);
  const rm = map(rh, cmp.rev);
  for (const [key, [name, h]] of bm) {
    const loc = `response[${code}].header.${name}`;
    const g = rm.get(key)?.[1];
    if (!g) {
      // Separate ids so teams can relax the optional case; both break clients that read the header
      // (OpenAPITools agrees; oasdiff calls the optional one WARN, see docs/DIFF.md).
      if (h.required === true)
        add('breaking', 'response-header-removed', loc, `Response ${code} no longer sends header \`${name}\`.`);
      else
        add(
          'breaking',
          'response-optional-header-removed',
          loc,
          `Response ${code} no longer sends optional header \`${name}\`.`,
        );
      continue;
    }
    if (h.required === true && g.required !== true)
      add('breaking', 'response-header-became-optional', loc, `Response ${code} header \`${name}\` became optional.`);
    if (h.explode !== g.explode || h.style !== g.style)
      add(
        'breaking',
        'response-header-style-changed',
        loc,
        `Response ${code} header \`${name}\` serialisation (style/explode) changed.`,
      );
    schema(h.schema, g.schema, 'header', loc, `Response ${code} header \`${name}\``);
  }
  for (const [key, [name]] of rm)
    if (!bm.has(key))
      add(
        'non-breaking',
        'response-header-added',
        `response[${code}].header.${name}`,
        `Response ${code} now sends header \`${name}\`.`,
      );
}
