/** Content hashes and cache keys for OpenAPI diff results. */
import { createHash } from 'node:crypto';
import { AppError } from '../errors.ts';

/**
 * sha256 of a decoded document's canonical JSON (object keys sorted), so the same API served with
 * keys in another order, other whitespace, or as YAML instead of JSON is the same document.
 */
export function documentHash(doc: unknown): string {
  const parts: string[] = [];
  write(doc, parts, new Set());
  const hash = createHash('sha256');
  for (const p of parts) hash.update(p);
  return hash.digest('hex');
}

function write(value: unknown, out: string[], ancestors: Set<object>): void {
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  // A YAML alias can point at its own ancestor; such a document has no JSON form.
  if (ancestors.has(value))
    throw new AppError(
      'spec_invalid',
      'The document refers to itself through a YAML alias, so it is not a JSON document.',
    );
  ancestors.add(value);
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((v, i) => {
      if (i) out.push(',');
      write(v, out, ancestors);
    });
    out.push(']');
  } else {
    const obj = value as Record<string, unknown>;
    out.push('{');
    Object.keys(obj)
      .sort()
      .forEach((k, i) => {
        out.push(`${i ? ',' : ''}${JSON.stringify(k)}:`);
        write(obj[k], out, ancestors);
      });
    out.push('}');
  }
  ancestors.delete(value);
}

/**
 * The cache key of one comparison: both documents, the namespace, the engine version, whether the
 * cross-check ran, and the rule book (profile, overrides, deprecation days and the day: sunset
 * verdicts change with the date).
 */
export function diffCacheKey(parts: {
  baseHash: string;
  revisionHash: string;
  namespace: string;
  engineVersion: string;
  crossCheck: boolean;
  rules?: string;
}): string {
  const text = [
    parts.baseHash,
    parts.revisionHash,
    parts.namespace,
    parts.engineVersion,
    parts.crossCheck ? 'xc' : '-',
    parts.rules ?? '',
  ].join('\n');
  return createHash('sha256').update(text).digest('hex');
}
