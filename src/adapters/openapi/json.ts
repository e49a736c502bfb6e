/** Small JSON helpers shared by the diff engine: type guards and a cheap structural hash. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The object under `key`, or undefined. */
export function objectAt(node: unknown, key: string): JsonObject | undefined {
  if (!isObject(node)) return undefined;
  const v = node[key];
  return isObject(v) ? v : undefined;
}

const hashes = new WeakMap<object, number>();

/*
 * Structural hash (two 26-bit FNV-style lanes packed in one double), memoised per object.
 * Why: "cost proportional to what changed" — equal subtrees are skipped after one hash compare,
 * and the memo means each node is hashed at most once per document. Keys are sorted so key order
 * (which YAML/JSON emitters do not keep stable) does not count as a change.
 */
export function hashOf(node: unknown): number {
  if (node === null || typeof node !== 'object') return hashString(`${typeof node}:${String(node)}`);
  const cached = hashes.get(node);
  if (cached !== undefined) return cached;
  let a = 0x811c9dc5;
  let b = 0x01000193;
  const mix = (h: number): void => {
    a = Math.imul(a ^ (h & 0x3ffffff), 0x01000193) >>> 0;
    b = Math.imul(b ^ Math.floor(h / 0x4000000), 0x5bd1e995) >>> 0;
  };
  if (Array.isArray(node)) {
    mix(7);
    for (const item of node) mix(hashOf(item));
  } else {
    mix(11);
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj).sort()) {
      mix(hashString(key));
      mix(hashOf(obj[key]));
    }
  }
  const h = (a & 0x3ffffff) * 0x4000000 + (b & 0x3ffffff);
  hashes.set(node, h);
  return h;
}

function hashString(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return ((a >>> 0) & 0x3ffffff) * 0x4000000 + ((b >>> 0) & 0x3ffffff);
}

/** Canonical text of a JSON value (sorted keys), used to compare enum values and defaults. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

/** A value rendered for a sentence: short, quoted strings. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : canonical(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
