/** Structural schema keywords: properties/required, items, additionalProperties, compositions, … */
import { hashOf, isObject, type Json, type JsonObject } from './json.ts';
import { refName } from './refs.ts';
import type { Effect } from './rules.ts';
import type { NodeComparer, Walk } from './schema-walk.ts';
import { isAnnotationOnly, viewOf } from './schema-view.ts';

type Flags = { readOnly: boolean; writeOnly: boolean };

/** readOnly/writeOnly of a property position (on a wrapper or on the schema). */
function flagsOf(cmp: NodeComparer, side: 'base' | 'rev', prop: Json | undefined): Flags {
  const resolver = side === 'base' ? cmp.base : cmp.rev;
  const view = viewOf(prop, resolver);
  const node = resolver.deref(view.target).node;
  const flag = (key: 'readOnly' | 'writeOnly'): boolean =>
    view.meta[key] === true || (isObject(node) && node[key] === true);
  return { readOnly: flag('readOnly'), writeOnly: flag('writeOnly') };
}

function requiredSet(node: JsonObject): Set<string> {
  return new Set(Array.isArray(node.required) ? node.required.filter((x): x is string => typeof x === 'string') : []);
}

/** properties + required, aware of readOnly/writeOnly and of the direction. */
function compareProperties(cmp: NodeComparer, b: JsonObject, r: JsonObject, at: string, w: Walk): void {
  const bp = isObject(b.properties) ? b.properties : {};
  const rp = isObject(r.properties) ? r.properties : {};
  const bReq = requiredSet(b);
  const rReq = requiredSet(r);
  const isRequest = w.context === 'request' || w.context === 'parameter';
  const push = (kind: string, effect: Effect, name: string, text: string): void =>
    void w.out.push({ kind, effect, at: `${at}.${name}`, text });
  // A context cannot see readOnly properties in requests or writeOnly ones in responses.
  const hiddenFlag = isRequest ? 'readOnly' : 'writeOnly';
  const otherFlag = isRequest ? 'writeOnly' : 'readOnly';
  const slug = (f: string): string => (f === 'readOnly' ? 'read-only' : 'write-only');
  for (const name of new Set([...Object.keys(bp), ...Object.keys(rp)])) {
    const bf = name in bp ? flagsOf(cmp, 'base', bp[name]) : undefined;
    const rf = name in rp ? flagsOf(cmp, 'rev', rp[name]) : undefined;
    const inB = bf !== undefined && !bf[hiddenFlag];
    const inR = rf !== undefined && !rf[hiddenFlag];
    const wasReq = inB && bReq.has(name);
    const isReq = inR && rReq.has(name);
    const req = (required: boolean): string => (required ? 'required' : 'optional');
    if (inB && inR) {
      if (!wasReq && isReq) push('property-became-required', 'tighten', name, 'became required');
      if (wasReq && !isReq) push('property-became-optional', 'loosen', name, 'became optional');
      // The flag this direction ignores (writeOnly in requests, readOnly in responses): documentation.
      if (bf[otherFlag] !== rf[otherFlag])
        push(
          `${req(isReq)}-property-became-${rf[otherFlag] ? '' : 'not-'}${slug(otherFlag)}`,
          'none',
          name,
          `became ${rf[otherFlag] ? '' : 'no longer '}${otherFlag}`,
        );
      cmp.compare(bp[name], rp[name], `${at}.${name}`, w);
    } else if (inB && !inR) {
      const stillThere = rf !== undefined;
      if (isRequest) {
        if (stillThere)
          push(
            `${req(wasReq)}-property-became-read-only`,
            'none',
            name,
            'became read-only (the server now ignores it if sent)',
          );
        else push('property-removed', 'loosen', name, 'was removed');
      } else if (stillThere)
        push(`${req(wasReq)}-property-became-write-only`, 'loosen', name, 'became write-only (no longer returned)');
      else if (wasReq) push('required-property-removed', 'loosen', name, 'was removed (it was required)');
      else push('optional-property-removed', 'loosen', name, 'was removed');
    } else if (!inB && inR) {
      if (bf !== undefined)
        // It was there but hidden: readOnly dropped in a request (clients must now send it if required),
        // writeOnly dropped in a response (now returned).
        push(
          `${req(isReq)}-property-became-not-${slug(hiddenFlag)}`,
          isRequest && isReq ? 'tighten' : 'none',
          name,
          `is no longer ${hiddenFlag}${isRequest && isReq ? ' and is required: clients must now send it' : ''}`,
        );
      else if (isRequest && isReq) push('new-required-property', 'tighten', name, 'was added as a required property');
      else push(isRequest ? 'new-optional-property' : 'property-added', 'none', name, 'was added');
    }
  }
}

type Slot = { kind: 'any' } | { kind: 'none' } | { kind: 'schema'; node: Json };

function slot(v: Json | undefined): Slot {
  if (v === undefined || v === true || (isObject(v) && Object.keys(v).length === 0)) return { kind: 'any' };
  if (v === false) return { kind: 'none' };
  return { kind: 'schema', node: v };
}

/** A keyword that holds one subschema: unset/true/{} allow anything, false allows nothing. */
function compareSlot(
  cmp: NodeComparer,
  key: string,
  name: string,
  bv: Json | undefined,
  rv: Json | undefined,
  at: string,
  w: Walk,
): void {
  const b = slot(bv);
  const r = slot(rv);
  const push = (kind: string, effect: Effect, text: string): void =>
    void w.out.push({ kind: `${name}-${kind}`, effect, at, text: `${key} ${text}` });
  if (b.kind === 'schema' && r.kind === 'schema') return cmp.compare(b.node, r.node, at + SUFFIX[key], w);
  if (b.kind === r.kind) return;
  if (b.kind === 'any')
    push(r.kind === 'none' ? 'disallowed' : 'added', 'tighten', r.kind === 'none' ? 'became false' : 'was added');
  else if (r.kind === 'any') push('removed', 'loosen', b.kind === 'none' ? 'is no longer false' : 'was removed');
  else if (b.kind === 'none') push('allowed', 'loosen', 'is no longer false');
  else push('disallowed', 'tighten', 'became false');
}

const SUFFIX: Record<string, string> = {
  items: '[]',
  additionalProperties: '.{*}',
  unevaluatedProperties: '.{unevaluated}',
  unevaluatedItems: '[unevaluated]',
  propertyNames: '.{name}',
  contains: '[contains]',
  if: '/if',
  then: '/then',
  else: '/else',
  contentSchema: '/contentSchema',
};
const SLOT_NAMES: Record<string, string> = {
  items: 'items',
  additionalProperties: 'additional-properties',
  unevaluatedProperties: 'unevaluated-properties',
  unevaluatedItems: 'unevaluated-items',
  propertyNames: 'property-names',
  contains: 'contains',
  if: 'if',
  then: 'then',
  else: 'else',
  contentSchema: 'content-schema',
};

/** A keyword that maps names to subschemas (patternProperties, dependentSchemas) or a list (prefixItems). */
function compareMap(
  cmp: NodeComparer,
  key: string,
  name: string,
  bv: Json | undefined,
  rv: Json | undefined,
  at: string,
  w: Walk,
): void {
  const toMap = (v: Json | undefined): Record<string, Json> =>
    Array.isArray(v) ? Object.fromEntries(v.map((x, i) => [String(i), x])) : isObject(v) ? v : {};
  const bm = toMap(bv);
  const rm = toMap(rv);
  for (const k of new Set([...Object.keys(bm), ...Object.keys(rm)])) {
    const sub = key === 'prefixItems' ? `[${k}]` : `/${key}[${k}]`;
    if (!(k in bm))
      w.out.push({ kind: `${name}-added`, effect: 'tighten', at: at + sub, text: `${key} entry "${k}" was added` });
    else if (!(k in rm))
      w.out.push({ kind: `${name}-removed`, effect: 'loosen', at: at + sub, text: `${key} entry "${k}" was removed` });
    else cmp.compare(bm[k], rm[k], at + sub, w);
  }
}

/** Everything structural except compositions. */
export function compareSubschemas(cmp: NodeComparer, b: JsonObject, r: JsonObject, at: string, w: Walk): void {
  compareProperties(cmp, b, r, at, w);
  for (const key of Object.keys(SLOT_NAMES)) {
    if (b[key] === undefined && r[key] === undefined) continue;
    compareSlot(cmp, key, SLOT_NAMES[key]!, b[key], r[key], at, w);
  }
  if (b.patternProperties !== undefined || r.patternProperties !== undefined)
    compareMap(cmp, 'patternProperties', 'pattern-property', b.patternProperties, r.patternProperties, at, w);
  if (b.dependentSchemas !== undefined || r.dependentSchemas !== undefined)
    compareMap(cmp, 'dependentSchemas', 'dependent-schema', b.dependentSchemas, r.dependentSchemas, at, w);
  if (b.prefixItems !== undefined || r.prefixItems !== undefined)
    compareMap(cmp, 'prefixItems', 'prefix-items', b.prefixItems, r.prefixItems, at, w);
  if (b.not !== undefined || r.not !== undefined) {
    // Inside `not` the direction flips; rather than invert every rule, any change to it is flagged both ways.
    if (b.not === undefined) w.out.push({ kind: 'not-added', effect: 'tighten', at, text: '`not` was added' });
    else if (r.not === undefined) w.out.push({ kind: 'not-removed', effect: 'loosen', at, text: '`not` was removed' });
    else if (hashOf(b.not) !== hashOf(r.not))
      w.out.push({ kind: 'not-changed', effect: 'both', at, text: '`not` changed' });
  }
}

function branchKey(node: Json, i: number): string {
  return isObject(node) && typeof node.$ref === 'string' ? `ref:${node.$ref}` : `inline:${i}`;
}

/** anyOf / oneOf / allOf: match branches by ref or by identical content, then by order. */
export function compareBranches(cmp: NodeComparer, b: JsonObject, r: JsonObject, at: string, w: Walk): void {
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const bl = Array.isArray(b[key]) ? (b[key] as Json[]) : undefined;
    const rl = Array.isArray(r[key]) ? (r[key] as Json[]) : undefined;
    if (!bl && !rl) continue;
    const name = { anyOf: 'any-of', oneOf: 'one-of', allOf: 'all-of' }[key];
    // More branches: anyOf/oneOf accept more, allOf accepts less.
    const addEffect: Effect = key === 'allOf' ? 'tighten' : 'loosen';
    const removeEffect: Effect = key === 'allOf' ? 'loosen' : 'tighten';
    if (!bl && rl && key !== 'allOf') {
      w.out.push({
        kind: `wrapped-in-${name}`,
        effect: 'both',
        at,
        text: `became a ${key} of ${rl.length} alternatives`,
      });
    }
    const bs = bl ?? [];
    const rs = rl ?? [];
    const label = (n: Json, i: number): string =>
      isObject(n) && typeof n.$ref === 'string' ? refName(n.$ref) : `#${i}`;
    const rLeft = new Set(rs.map((_, i) => i));
    const bLeft: number[] = [];
    bs.forEach((bn, bi) => {
      const bk = branchKey(bn, bi);
      const match = [...rLeft].find((ri) =>
        bk.startsWith('ref:') ? branchKey(rs[ri]!, ri) === bk : !bk.startsWith('ref:') && hashOf(rs[ri]) === hashOf(bn),
      );
      if (match === undefined) bLeft.push(bi);
      else {
        rLeft.delete(match);
        cmp.compare(bn, rs[match], `${at}/${key}[${label(bn, bi)}]`, w);
      }
    });
    // Remaining inline branches are paired in order: an edited branch, not a removal plus an addition.
    const bInline = bLeft.filter((i) => !branchKey(bs[i]!, i).startsWith('ref:'));
    const rInline = [...rLeft].filter((i) => !branchKey(rs[i]!, i).startsWith('ref:'));
    while (bInline.length && rInline.length) {
      const bi = bInline.shift()!;
      const ri = rInline.shift()!;
      bLeft.splice(bLeft.indexOf(bi), 1);
      rLeft.delete(ri);
      cmp.compare(bs[bi], rs[ri], `${at}/${key}[${label(bs[bi]!, bi)}]`, w);
    }
    // An annotation-only allOf branch (`{description: …}`) accepts everything: a documentation change.
    const inert = (n: Json, resolver: NodeComparer['base']): boolean =>
      key === 'allOf' && isAnnotationOnly(n, resolver);
    for (const bi of bLeft)
      w.out.push({
        kind: `${name}-removed${inert(bs[bi]!, cmp.base) ? '-annotation-only' : ''}`,
        effect: inert(bs[bi]!, cmp.base) ? 'none' : removeEffect,
        at,
        text: `${key} branch ${label(bs[bi]!, bi)} was removed`,
      });
    for (const ri of rLeft)
      w.out.push({
        kind: `${name}-added${inert(rs[ri]!, cmp.rev) ? '-annotation-only' : ''}`,
        effect: inert(rs[ri]!, cmp.rev) ? 'none' : addEffect,
        at,
        text: `${key} branch ${label(rs[ri]!, ri)} was added`,
      });
  }
}
