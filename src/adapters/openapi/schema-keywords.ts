/** Scalar JSON Schema keyword comparisons: enum, const, ranges, lengths, pattern, format, … */
import { canonical, isObject, show, type JsonObject } from './json.ts';
import type { RawChange } from './rules.ts';

type Emit = (change: Omit<RawChange, 'at'>) => void;

const MIN_KEYS: [string, string][] = [
  ['minimum', 'min'],
  ['minLength', 'min-length'],
  ['minItems', 'min-items'],
  ['minProperties', 'min-properties'],
  ['minContains', 'min-contains'],
];
const MAX_KEYS: [string, string][] = [
  ['maximum', 'max'],
  ['maxLength', 'max-length'],
  ['maxItems', 'max-items'],
  ['maxProperties', 'max-properties'],
  ['maxContains', 'max-contains'],
];

/** "-no-limit" sentinel so a missing bound compares as unbounded. */
function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function bound(b: JsonObject, r: JsonObject, key: string, name: string, lower: boolean, emit: Emit): void {
  const bv = num(b[key]);
  const rv = num(r[key]);
  if (bv === rv) return;
  if (bv === undefined && rv !== undefined)
    emit({ kind: `${name}-set`, effect: 'tighten', text: `${key} ${rv} was added` });
  else if (bv !== undefined && rv === undefined)
    emit({ kind: `${name}-removed`, effect: 'loosen', text: `${key} ${bv} was removed` });
  else if (bv !== undefined && rv !== undefined) {
    const tighter = lower ? rv > bv : rv < bv;
    const verb = rv > bv ? 'increased' : 'decreased';
    emit({
      kind: `${name}-${verb}`,
      effect: tighter ? 'tighten' : 'loosen',
      text: `${key} ${verb} from ${bv} to ${rv}`,
    });
  }
}

/** exclusiveMinimum/Maximum: a number in 3.1, a boolean modifier in 3.0. */
function exclusive(b: JsonObject, r: JsonObject, key: 'exclusiveMinimum' | 'exclusiveMaximum', emit: Emit): void {
  const bv = b[key];
  const rv = r[key];
  const name = key === 'exclusiveMinimum' ? 'exclusive-min' : 'exclusive-max';
  if (typeof bv === 'boolean' || typeof rv === 'boolean' || (bv === undefined && rv === undefined)) {
    const bb = bv === true;
    const rb = rv === true;
    if (bb !== rb)
      emit({
        kind: `${name}-${rb ? 'set' : 'removed'}`,
        effect: rb ? 'tighten' : 'loosen',
        text: `${key} became ${rb}`,
      });
    return;
  }
  bound(b, r, key, name, key === 'exclusiveMinimum', emit);
}

function valueSet(v: unknown): Map<string, unknown> | undefined {
  if (!Array.isArray(v)) return undefined;
  return new Map(v.map((x) => [canonical(x), x]));
}

function enumLike(b: JsonObject, r: JsonObject, key: 'enum' | 'x-extensible-enum', emit: Emit): void {
  const be = valueSet(b[key]);
  const re = valueSet(r[key]);
  const prefix = key === 'enum' ? '' : 'x-extensible-';
  if (!be && !re) return;
  if (!be && re) {
    emit({
      kind: `became-${prefix}enum`,
      effect: key === 'enum' ? 'tighten' : 'none',
      text: `now only allows ${[...re.values()].map(show).join(', ')}`,
    });
    return;
  }
  if (be && !re) {
    emit({
      kind: `${prefix}enum-removed`,
      effect: 'loosen',
      text: `no longer restricted to ${[...be.values()].map(show).join(', ')}`,
    });
    return;
  }
  const removed = [...be!.keys()].filter((k) => !re!.has(k));
  const added = [...re!.keys()].filter((k) => !be!.has(k));
  if (removed.length)
    emit({
      kind: `${prefix}enum-value-removed`,
      effect: 'tighten',
      text: `enum value${removed.length > 1 ? 's' : ''} ${removed.map((k) => show(be!.get(k))).join(', ')} removed`,
    });
  if (added.length)
    emit({
      kind: `${prefix}enum-value-added`,
      effect: 'loosen',
      text: `enum value${added.length > 1 ? 's' : ''} ${added.map((k) => show(re!.get(k))).join(', ')} added`,
    });
}

const ANY_PATTERNS = new Set(['', '.*', '^.*$', '^.*', '.*$', '(.*)', '[\\s\\S]*']);

function presence(b: JsonObject, r: JsonObject, key: string, name: string, emit: Emit): void {
  const bv = b[key];
  const rv = r[key];
  if (bv === undefined && rv === undefined) return;
  if (bv === undefined) emit({ kind: `${name}-added`, effect: 'tighten', text: `${key} ${show(rv)} was added` });
  else if (rv === undefined)
    emit({ kind: `${name}-removed`, effect: 'loosen', text: `${key} ${show(bv)} was removed` });
  else if (canonical(bv) !== canonical(rv))
    emit({ kind: `${name}-changed`, effect: 'both', text: `${key} changed from ${show(bv)} to ${show(rv)}` });
}

/** Compare every scalar keyword of two resolved schemas. */
export function compareKeywords(b: JsonObject, r: JsonObject, emit: Emit): void {
  for (const [key, name] of MIN_KEYS) bound(b, r, key, name, true, emit);
  for (const [key, name] of MAX_KEYS) bound(b, r, key, name, false, emit);
  exclusive(b, r, 'exclusiveMinimum', emit);
  exclusive(b, r, 'exclusiveMaximum', emit);
  enumLike(b, r, 'enum', emit);
  enumLike(b, r, 'x-extensible-enum', emit);
  if (b.const !== undefined || r.const !== undefined) presence(b, r, 'const', 'const', emit);
  presence(b, r, 'multipleOf', 'multiple-of', emit);
  presence(b, r, 'contentEncoding', 'content-encoding', emit);
  presence(b, r, 'contentMediaType', 'content-media-type', emit);
  if ((b.uniqueItems === true) !== (r.uniqueItems === true)) {
    const now = r.uniqueItems === true;
    emit({
      kind: now ? 'unique-items-set' : 'unique-items-removed',
      effect: now ? 'tighten' : 'loosen',
      text: `uniqueItems became ${now}`,
    });
  }
  const bp = typeof b.pattern === 'string' && !ANY_PATTERNS.has(b.pattern) ? b.pattern : undefined;
  const rp = typeof r.pattern === 'string' && !ANY_PATTERNS.has(r.pattern) ? r.pattern : undefined;
  if (bp !== rp) {
    if (bp === undefined) emit({ kind: 'pattern-added', effect: 'tighten', text: `pattern ${show(rp)} was added` });
    else if (rp === undefined)
      emit({ kind: 'pattern-removed', effect: 'loosen', text: `pattern ${show(bp)} was removed` });
    else emit({ kind: 'pattern-changed', effect: 'both', text: `pattern changed from ${show(bp)} to ${show(rp)}` });
  }
  if (b.format !== r.format) {
    if (b.format === undefined)
      emit({ kind: 'format-added', effect: 'tighten', text: `format ${show(r.format)} was added` });
    else if (r.format === undefined)
      emit({ kind: 'format-removed', effect: 'loosen', text: `format ${show(b.format)} was removed` });
    else
      emit({
        kind: 'format-changed',
        effect: 'both',
        text: `format changed from ${show(b.format)} to ${show(r.format)}`,
      });
  }
  dependentRequired(b, r, emit);
  discriminator(b, r, emit);
}

/** Discriminator edits: what clients use to pick a oneOf branch; the branches themselves are compared apart. */
function discriminator(b: JsonObject, r: JsonObject, emit: Emit): void {
  const bd = isObject(b.discriminator) ? b.discriminator : undefined;
  const rd = isObject(r.discriminator) ? r.discriminator : undefined;
  if (!bd && !rd) return;
  if (!bd || !rd) {
    const d = (bd ?? rd)!;
    const verb = bd ? 'removed' : 'added';
    emit({ kind: `discriminator-${verb}`, effect: 'none', text: `discriminator ${show(d.propertyName)} was ${verb}` });
    return;
  }
  if (bd.propertyName !== rd.propertyName)
    emit({
      kind: 'discriminator-property-name-changed',
      effect: 'none',
      text: `discriminator property changed from ${show(bd.propertyName)} to ${show(rd.propertyName)}`,
    });
  const bm = isObject(bd.mapping) ? bd.mapping : {};
  const rm = isObject(rd.mapping) ? rd.mapping : {};
  const keys = (pred: (k: string) => boolean): string[] =>
    [...new Set([...Object.keys(bm), ...Object.keys(rm)])].filter(pred).sort();
  const added = keys((k) => !(k in bm));
  const deleted = keys((k) => !(k in rm));
  const changed = keys((k) => k in bm && k in rm && bm[k] !== rm[k]);
  if (added.length)
    emit({
      kind: 'discriminator-mapping-added',
      effect: 'none',
      text: `discriminator mapping ${added.join(', ')} added`,
    });
  if (deleted.length)
    emit({
      kind: 'discriminator-mapping-deleted',
      effect: 'none',
      text: `discriminator mapping ${deleted.join(', ')} deleted`,
    });
  if (changed.length)
    emit({
      kind: 'discriminator-mapping-changed',
      effect: 'none',
      text: `discriminator mapping ${changed.join(', ')} changed`,
    });
}

function dependentRequired(b: JsonObject, r: JsonObject, emit: Emit): void {
  const bd = isObject(b.dependentRequired) ? b.dependentRequired : undefined;
  const rd = isObject(r.dependentRequired) ? r.dependentRequired : undefined;
  if (!bd && !rd) return;
  for (const key of new Set([...Object.keys(bd ?? {}), ...Object.keys(rd ?? {})])) {
    const bv = bd?.[key];
    const rv = rd?.[key];
    if (bv === undefined)
      emit({ kind: 'dependent-required-added', effect: 'tighten', text: `dependentRequired for "${key}" was added` });
    else if (rv === undefined)
      emit({
        kind: 'dependent-required-removed',
        effect: 'loosen',
        text: `dependentRequired for "${key}" was removed`,
      });
    else if (canonical(bv) !== canonical(rv))
      emit({ kind: 'dependent-required-changed', effect: 'both', text: `dependentRequired for "${key}" changed` });
  }
}
