/**
 * JSON decoding for webhook bodies with a bound on nesting. The real payloads nest at most ~10
 * levels (Sentry events with stack frames); a body nested thousands deep would overflow the stack
 * of any recursive walk after the parse (a stringify, a schema, a log serialiser), turning the
 * sender's bad body into our 503 and an endless Alertmanager retry loop. So the raw text is scanned
 * first, iteratively, and refused with a 400 before anything recursive sees it.
 */

/** Deepest object/array nesting a webhook body may have (real payloads: ≤ 10, PROTOCOLS.md). */
export const MAX_JSON_DEPTH = 64;

const OPEN_OBJ = 0x7b; // {
const OPEN_ARR = 0x5b; // [
const CLOSE_OBJ = 0x7d; // }
const CLOSE_ARR = 0x5d; // ]
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \

/** The deepest nesting in `raw` (JSON text), counting brackets outside strings; stops once past `limit`. */
export function jsonDepth(raw: Uint8Array, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_OBJ || c === OPEN_ARR) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === CLOSE_OBJ || c === CLOSE_ARR) depth--;
  }
  return max;
}

export type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

/** UTF-8 JSON, nested at most `maxDepth` deep; otherwise the reason for a 400. */
export function decodeJson(raw: Buffer, maxDepth = MAX_JSON_DEPTH): Decoded {
  if (jsonDepth(raw, maxDepth) > maxDepth) return { ok: false, error: `JSON nested deeper than ${maxDepth} levels` };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return { ok: false, error: 'body is not valid JSON' };
  }
}
