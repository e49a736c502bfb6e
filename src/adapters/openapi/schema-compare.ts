/**
 * Directional schema comparison. Recursion-safe by construction: when both sides of a position are
 * `$ref`s, the pair becomes a *unit* (memoised by context + base ref + revision ref) and the walk
 * stops there; the caller follows units through a worklist with a visited set. So a recursive model
 * (`children: list[Category]`) costs one comparison, and a model change is computed — and later
 * reported — once, however many operations use it.
 */
import { hashOf, isObject, show, type Json, type JsonObject } from './json.ts';
import type { Resolver } from './refs.ts';
import { compareLifecycle, type Lifecycle } from './deprecation.ts';
import type { RawChange, SchemaContext } from './rules.ts';
import { compareKeywords } from './schema-keywords.ts';
import { admitsNull, inferredTypes, metaOf, viewOf, type SchemaView } from './schema-view.ts';
import { compareBranches, compareSubschemas } from './schema-structure.ts';
import type { NodeComparer, Walk } from './schema-walk.ts';

export type { Walk };

/** A memoised comparison of two referenced models in one context. */
export interface Unit {
  key: string;
  context: SchemaContext;
  baseRef: string;
  revRef: string;
  /** Changes inside the model itself (not inside the models it refers to). */
  changes: RawChange[];
  /** Unit keys of the model pairs it refers to. */
  children: string[];
}

const MAX_DEPTH = 64;

/** Compares schemas of two documents; one instance per diff run. */
export class SchemaComparer implements NodeComparer {
  private readonly units = new Map<string, Unit>();
  private readonly refsCache = new WeakMap<object, string[]>();

  constructor(
    readonly base: Resolver,
    readonly rev: Resolver,
    /** Deprecation policy and today, for sunset checks on deprecated properties. */
    readonly lifecycle?: Lifecycle,
  ) {}

  /** Number of model pairs compared so far (for the benchmark). */
  get unitCount(): number {
    return this.units.size;
  }

  /** Start a walk in a context; compare() adds to it. */
  walk(context: SchemaContext): Walk {
    return { context, out: [], reached: new Set(), seen: new WeakMap(), depth: 0 };
  }

  /** The unit for a key made by unitKey(), computed on first use. */
  unit(key: string): Unit {
    const hit = this.units.get(key);
    if (hit) return hit;
    const [context, baseRef, revRef] = key.split('\u0000') as [SchemaContext, string, string];
    const w = this.walk(context);
    const unit: Unit = { key, context, baseRef, revRef, changes: w.out, children: [] };
    this.units.set(key, unit); // set before walking: a model that refers to itself finds itself
    this.compareResolved(this.base.pointer(baseRef), this.rev.pointer(revRef), '', w);
    unit.children = [...w.reached];
    return unit;
  }

  /** Compare two schema positions (either may be absent, a `$ref` or inline). */
  compare(b: Json | undefined, r: Json | undefined, at: string, w: Walk): void {
    const bv = viewOf(b, this.base);
    const rv = viewOf(r, this.rev);
    const bRef = refOf(bv.target);
    const rRef = refOf(rv.target);
    const bNode = this.base.deref(bv.target).node;
    const rNode = this.rev.deref(rv.target).node;
    this.compareMeta(bv, rv, isObject(bNode) ? bNode : undefined, isObject(rNode) ? rNode : undefined, at, w);
    if (bRef !== undefined && rRef !== undefined) {
      if (bv.wrapperNullable !== rv.wrapperNullable) nullability(bv.wrapperNullable, rv.wrapperNullable, at, w);
      w.reached.add(unitKey(w.context, bRef, rRef));
      return;
    }
    const bNull = bv.wrapperNullable || (isObject(bNode) && admitsNull(bNode));
    const rNull = rv.wrapperNullable || (isObject(rNode) && admitsNull(rNode));
    if (bNull !== rNull) nullability(bNull, rNull, at, w);
    this.compareResolved(bNode, rNode, at, w);
  }

  /** Compare two resolved (non-ref) schema nodes. */
  compareResolved(b: Json | undefined, r: Json | undefined, at: string, w: Walk): void {
    if (!isObject(b) || !isObject(r)) {
      if (b === false && r !== false)
        w.out.push({ kind: 'schema-allowed', effect: 'loosen', at, text: 'now accepts values (was `false`)' });
      if (b !== false && r === false)
        w.out.push({ kind: 'schema-disallowed', effect: 'tighten', at, text: 'no longer accepts any value (`false`)' });
      return;
    }
    if (hashOf(b) === hashOf(r)) {
      // Equal subtrees still refer to models that may have changed: follow their refs as units.
      for (const ref of this.refsIn(b)) w.reached.add(unitKey(w.context, ref, ref));
      return;
    }
    let seenFor = w.seen.get(b);
    if (!seenFor) w.seen.set(b, (seenFor = new WeakSet()));
    if (seenFor.has(r) || w.depth > MAX_DEPTH) return;
    seenFor.add(r);
    w.depth++;
    try {
      this.compareBody(b, r, at, w);
    } finally {
      w.depth--;
    }
  }

  private compareBody(b: JsonObject, r: JsonObject, at: string, w: Walk): void {
    const emit = (c: Omit<RawChange, 'at'>): void => void w.out.push({ ...c, at });
    const bt = inferredTypes(b);
    const rt = inferredTypes(r);
    if (w.looselyTyped && looselyCompatible(bt, rt, w.context)) {
      emit({
        kind: 'type-compatible',
        effect: 'none',
        text: `type changed from ${list(bt)} to ${list(rt)} (read as text)`,
      });
      return;
    }
    if (!compareTypes(bt, rt, emit, w.context === 'parameter')) return; // incompatible types: deeper differences are noise
    compareKeywords(b, r, emit);
    compareBranches(this, b, r, at, w);
    compareSubschemas(this, b, r, at, w);
  }

  private compareMeta(
    bv: SchemaView,
    rv: SchemaView,
    bNode: JsonObject | undefined,
    rNode: JsonObject | undefined,
    at: string,
    w: Walk,
  ): void {
    const bm = metaOf(bv, bNode);
    const rm = metaOf(rv, rNode);
    if (JSON.stringify(bm.default) !== JSON.stringify(rm.default)) {
      const [kind, text] =
        bm.default === undefined
          ? ['default-added', `default ${show(rm.default)} was added`]
          : rm.default === undefined
            ? ['default-removed', `default ${show(bm.default)} was removed`]
            : ['default-changed', `default changed from ${show(bm.default)} to ${show(rm.default)}`];
      w.out.push({ kind, effect: 'none', at, text });
    }
    if (bm.deprecated !== true && rm.deprecated === true)
      w.out.push({ kind: 'deprecated', effect: 'none', at, text: 'was deprecated' });
    if (bm.deprecated === true && rm.deprecated !== true)
      w.out.push({ kind: 'reactivated', effect: 'none', at, text: 'is no longer deprecated' });
    if (this.lifecycle && at !== '' && rm.deprecated === true) {
      const side = (node: JsonObject | undefined, m: JsonObject): JsonObject => ({ ...node, ...m });
      compareLifecycle(
        side(bNode, bm),
        side(rNode, rm),
        this.lifecycle,
        'property',
        'property',
        at,
        (_s, rule, _l, msg) =>
          w.out.push({
            kind: rule.slice('property-'.length),
            effect: 'none',
            at,
            text: msg.replace(/^property:? ?/, '').replace(/\.$/, ''),
          }),
      );
    }
  }

  /** Every `$ref` string inside a node (not following refs), memoised per node. */
  refsIn(node: JsonObject): string[] {
    const hit = this.refsCache.get(node);
    if (hit) return hit;
    const found = new Set<string>();
    const stack: Json[] = [node];
    while (stack.length) {
      const n = stack.pop();
      if (Array.isArray(n)) for (const x of n) stack.push(x);
      else if (isObject(n)) {
        if (typeof n.$ref === 'string') found.add(n.$ref);
        else for (const v of Object.values(n)) if (typeof v === 'object' && v !== null) stack.push(v);
      }
    }
    const list = [...found];
    this.refsCache.set(node, list);
    return list;
  }
}

/** Key of a unit: context, base ref and revision ref. */
export function unitKey(context: SchemaContext, baseRef: string, revRef: string): string {
  return `${context}\u0000${baseRef}\u0000${revRef}`;
}

function refOf(node: Json | undefined): string | undefined {
  return isObject(node) && typeof node.$ref === 'string' ? node.$ref : undefined;
}

function nullability(before: boolean, after: boolean, at: string, w: Walk): void {
  if (after) w.out.push({ kind: 'became-nullable', effect: 'loosen', at, text: 'became nullable' });
  else w.out.push({ kind: 'became-not-nullable', effect: 'tighten', at, text: 'is no longer nullable' });
  void before;
}

const list = (s: Set<string> | null): string => (s ? [...s].sort().join(' | ') : 'any');

/** In a text-typed body: a request type that became string, or a response type that was string. */
function looselyCompatible(bt: Set<string> | null, rt: Set<string> | null, context: SchemaContext): boolean {
  const onlyString = (s: Set<string> | null): boolean => s !== null && s.size === 1 && s.has('string');
  if (list(bt) === list(rt)) return false;
  return context === 'request' ? onlyString(rt) : context === 'response' && onlyString(bt);
}

/** Returns false when the types have nothing in common (the rest of the comparison is skipped). */
function compareTypes(
  bt: Set<string> | null,
  rt: Set<string> | null,
  emit: (c: Omit<RawChange, 'at'>) => void,
  wireText: boolean,
): boolean {
  const list = (s: Set<string>): string => [...s].sort().join(' | ');
  if (!bt && !rt) return true;
  if (!bt && rt) {
    emit({ kind: 'type-narrowed', effect: 'tighten', text: `type is now restricted to ${list(rt)}` });
    return true;
  }
  if (bt && !rt) {
    emit({ kind: 'type-widened', effect: 'loosen', text: `type is no longer restricted (was ${list(bt)})` });
    return true;
  }
  const b = bt!;
  const r = rt!;
  const removed = [...b].filter((t) => !r.has(t));
  const added = [...r].filter((t) => !b.has(t));
  if (!removed.length && !added.length) return true;
  if (removed.length === 1 && added.length === 1 && removed[0] === 'number' && added[0] === 'integer') {
    emit({ kind: 'type-specialized', effect: 'tighten', text: 'type changed from number to integer' });
    return true;
  }
  if (removed.length === 1 && added.length === 1 && removed[0] === 'integer' && added[0] === 'number') {
    emit({ kind: 'type-generalized', effect: 'loosen', text: 'type changed from integer to number' });
    return true;
  }
  // Parameters travel as text: a scalar that becomes a string accepts everything it accepted before.
  if (
    wireText &&
    added.length === 1 &&
    added[0] === 'string' &&
    removed.every((t) => ['number', 'integer', 'boolean'].includes(t))
  ) {
    emit({ kind: 'type-generalized', effect: 'loosen', text: `type changed from ${list(b)} to string` });
    return true;
  }
  if (removed.length && added.length) {
    emit({ kind: 'type-changed', effect: 'both', text: `type changed from ${list(b)} to ${list(r)}` });
    return [...b].some((t) => r.has(t));
  }
  if (removed.length)
    emit({
      kind: 'type-narrowed',
      effect: 'tighten',
      text: `type ${removed.join(', ')} no longer allowed (now ${list(r)})`,
    });
  else emit({ kind: 'type-widened', effect: 'loosen', text: `type ${added.join(', ')} now allowed (was ${list(b)})` });
  return true;
}
