import { createHmac } from 'node:crypto';
import { safeEqualText } from './drain/metrics-token-compare.ts';

/**
 * Public chart images named by an environment and a window of minutes, signed with the chart key
 * so only the bot can make a name (`<env>.<from>.<to>.<sig>.png`); `kind` keeps one kind of
 * chart's names from opening another's.
 */

const MINUTE = 60_000;

function sign(key: Buffer, kind: string, env: string, from: number, to: number): string {
  return createHmac('sha256', key).update(`${kind}|${env}|${from}|${to}`).digest('hex').slice(0, 32);
}

/** The unguessable file name of a `kind` chart of `env` over [since, until). */
export function signedWindowFile(key: Buffer, kind: string, env: string, since: number, until: number): string {
  const from = Math.floor(since / MINUTE);
  const to = Math.ceil(until / MINUTE);
  return `${encodeURIComponent(env)}.${from}.${to}.${sign(key, kind, env, from, to)}.png`;
}

/** The env and window a file names, or null when it is malformed, too long, or not signed by us. */
export function readSignedWindowFile(
  key: Buffer,
  kind: string,
  file: string,
  maxMs: number,
): { env: string; since: number; until: number } | null {
  const m = /^([A-Za-z0-9_%-]{1,60})\.(\d{1,9})\.(\d{1,9})\.([0-9a-f]{32})\.png$/.exec(file);
  if (!m) return null;
  let env: string;
  try {
    env = decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
  const from = Number(m[2]);
  const to = Number(m[3]);
  if (to <= from || (to - from) * MINUTE > maxMs) return null;
  if (!safeEqualText(sign(key, kind, env, from, to), m[4]!)) return null;
  return { env, since: from * MINUTE, until: to * MINUTE };
}
