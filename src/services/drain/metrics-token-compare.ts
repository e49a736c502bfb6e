import { timingSafeEqual } from 'node:crypto';

/** Constant-time equality of two ASCII strings (false on any length difference). */
export function safeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
