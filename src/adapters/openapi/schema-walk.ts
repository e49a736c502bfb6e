/**
 * What one comparison walk carries, and what the structural keyword comparisons
 * (schema-structure.ts) need from the comparer that drives them. Its own file so that
 * schema-compare.ts and schema-structure.ts depend on it instead of on each other.
 */
import type { Json } from './json.ts';
import type { Resolver } from './refs.ts';
import type { RawChange, SchemaContext } from './rules.ts';

/** Collects the changes and unit references of one walk. */
export interface Walk {
  context: SchemaContext;
  out: RawChange[];
  reached: Set<string>;
  /** Object pairs already compared in this walk (cycle guard for ref-vs-inline recursion). */
  seen: WeakMap<object, WeakSet<object>>;
  depth: number;
  /**
   * The body's media type is not JSON (XML, form, text): values travel as text there, so a
   * request type that becomes string, or a response type that was string, reads everything it did.
   */
  looselyTyped?: boolean;
}

/** The comparer as schema-structure.ts sees it (implemented by SchemaComparer). */
export interface NodeComparer {
  readonly base: Resolver;
  readonly rev: Resolver;
  /** Compare two schemas (or refs to them) found at `at`, recording into `w`. */
  compare(b: Json | undefined, r: Json | undefined, at: string, w: Walk): void;
}
