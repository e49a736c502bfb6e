import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signature and token checks over the raw bytes (PROTOCOLS.md §F1). Every configured secret is
 * tried (current, then previous during rotation) with a constant-time comparison; lengths are
 * compared first because timingSafeEqual throws on unequal lengths.
 */

/** Constant-time equality of two strings (as bytes); false on any length difference. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** HMAC-SHA256 of `parts` (concatenated) with `secret`, in the given encoding. */
export function hmac(secret: string, parts: readonly (string | Buffer)[], encoding: 'hex' | 'base64'): string {
  const h = createHmac('sha256', secret);
  for (const p of parts) h.update(p);
  return h.digest(encoding);
}

/** True when `given` equals the MAC under any of `secrets`. Hex is compared lower-case. */
export function verifyHmac(
  secrets: readonly string[],
  parts: readonly (string | Buffer)[],
  given: string,
  encoding: 'hex' | 'base64',
): boolean {
  const candidate = encoding === 'hex' ? given.trim().toLowerCase() : given.trim();
  let ok = false;
  // No early exit: the time taken does not reveal which secret (if any) matched.
  for (const s of secrets) if (safeEqual(hmac(s, parts, encoding), candidate)) ok = true;
  return ok;
}

/** True when the `Authorization: Bearer <token>` header carries any of `tokens`. */
export function verifyBearer(tokens: readonly string[], authorization: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!m) return false;
  let ok = false;
  for (const t of tokens) if (safeEqual(t, m[1]!)) ok = true;
  return ok;
}
