/** Local `$ref` resolution. Never inlines: the engine compares by reference identity instead. */
import { AppError } from '../../errors.ts';
import { isObject, type Json, type JsonObject } from './json.ts';

/** Resolves `#/…` pointers of one document, following chains of refs; cycles of pure refs are an error. */
export class Resolver {
  private readonly cache = new Map<string, Json>();
  constructor(
    readonly root: JsonObject,
    readonly label: string,
  ) {}

  /** The node a pointer names. Throws spec_invalid when it does not resolve. */
  pointer(ref: string): Json {
    const hit = this.cache.get(ref);
    if (hit !== undefined) return hit;
    if (!ref.startsWith('#')) {
      throw new AppError(
        'spec_invalid',
        `${this.label} has an external $ref "${ref}"; bundle the document into one file first.`,
      );
    }
    let node: Json = this.root;
    const parts = ref.slice(1).split('/').slice(1);
    for (const raw of parts) {
      const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      const next: Json | undefined = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
      if (next === undefined) throw new AppError('spec_invalid', `${this.label} has an unresolvable $ref "${ref}".`);
      node = next;
    }
    this.cache.set(ref, node);
    return node;
  }

  /** Follow `$ref` chains until a non-ref node; returns it and the last ref followed (if any). */
  deref(node: Json | undefined): { node: Json | undefined; ref: string | undefined } {
    let ref: string | undefined;
    const seen = new Set<string>();
    while (isObject(node) && typeof node.$ref === 'string') {
      ref = node.$ref;
      if (seen.has(ref))
        throw new AppError('spec_invalid', `${this.label} has a $ref cycle through "${ref}" with no schema in it.`);
      seen.add(ref);
      node = this.pointer(ref);
    }
    return { node, ref };
  }

  /** Walk the whole document once and fail fast on the first unresolvable or external $ref. */
  checkAll(): void {
    const stack: Json[] = [this.root];
    while (stack.length > 0) {
      const node = stack.pop();
      if (Array.isArray(node)) for (const item of node) stack.push(item);
      else if (isObject(node)) {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') this.pointer(v);
          else if (typeof v === 'object' && v !== null) stack.push(v);
        }
      }
    }
  }
}

/** "#/components/schemas/Item" → "Item" (for sentences). */
export function refName(ref: string): string {
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  return decodeURIComponent(last).replace(/~1/g, '/').replace(/~0/g, '~');
}
