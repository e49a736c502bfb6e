import type { SyslogMessage } from './logplex.ts';

/**
 * What a drain line means for the rollout, pure. Formats (PROTOCOLS.md §C5, Heroku Dev Center
 * "HTTP Routing", "Log Runtime Metrics", "Heroku Postgres Metrics Logs", "Error Codes"):
 * - router: `[sock=client] at=info|warning|error [code=H12 desc="…"] method=GET path="/x" … dyno=web.1 connect=1ms
 *   service=18ms status=200 …`. A code comes at every level: H27/H28 at `warning`, H80/H81 at `info`;
 * - runtime metrics (`heroku[web.1]`): `source=web.1 dyno=… sample#memory_total=99.74MB … sample#memory_quota=512.00MB`
 *   and `sample#load_avg_1m=0.20`;
 * - dyno errors: `Error R14 (Memory quota exceeded)`, `Error R15 (Memory quota vastly exceeded)`;
 * - Heroku Postgres (`app[heroku-postgres]`): `source=DATABASE sample#db_size=…bytes sample#active-connections=…`.
 */
export type DrainLine =
  | {
      kind: 'router';
      method: string;
      path: string;
      status: number;
      /** connect + service, ms; null when the router did not report them (H12 with an empty connect is still 30 s). */
      latencyMs: number | null;
      dyno: string | null;
      /** Heroku router code (`H12`, `H27`, `H80`…) at whatever `at=` level the router wrote it. */
      code: string | null;
    }
  | { kind: 'memory'; dyno: string; totalMb: number; quotaMb: number | null }
  | { kind: 'load'; dyno: string; load1m: number }
  | { kind: 'dyno-error'; dyno: string; code: string }
  | { kind: 'postgres'; activeConnections: number | null; dbSizeBytes: number | null };

/** `key=value` / `key="quoted value"` pairs of a logfmt line. */
export function logfmt(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /([\w#.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const v = m[2]!;
    out.set(m[1]!, v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1) : v);
  }
  return out;
}

/** `18ms` → 18; `` or junk → null. */
function ms(v: string | undefined): number | null {
  if (v === undefined) return null;
  const m = /^(\d+(?:\.\d+)?)ms$/.exec(v);
  return m ? Number(m[1]) : null;
}

/** `581.95MB` → 581.95 (MB), `26219348792bytes` / `512kB` / `1GB` likewise normalised. */
function size(v: string | undefined, unit: 'MB' | 'bytes'): number | null {
  if (v === undefined) return null;
  const m = /^(\d+(?:\.\d+)?)\s*(bytes|b|kb|mb|gb)?$/i.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  const factor: Record<string, number> = { bytes: 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  const bytes = n * (factor[(m[2] ?? (unit === 'MB' ? 'mb' : 'bytes')).toLowerCase()] ?? 1);
  return unit === 'MB' ? bytes / 1024 ** 2 : bytes;
}

function num(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Classify one syslog message; null for lines that carry none of the signals we keep. */
export function classifyLine(m: SyslogMessage): DrainLine | null {
  if (m.app === 'heroku' && m.proc === 'router') return routerLine(m.msg);
  if (m.app === 'heroku') {
    const err = /^Error (R1[45])\b/.exec(m.msg);
    if (err) return { kind: 'dyno-error', dyno: m.proc, code: err[1]! };
    if (!m.msg.includes('sample#')) return null;
    const kv = logfmt(m.msg);
    const dyno = kv.get('source') ?? m.proc;
    const total = size(kv.get('sample#memory_total'), 'MB');
    if (total !== null)
      return { kind: 'memory', dyno, totalMb: total, quotaMb: size(kv.get('sample#memory_quota'), 'MB') };
    const load = num(kv.get('sample#load_avg_1m'));
    if (load !== null) return { kind: 'load', dyno, load1m: load };
    return null;
  }
  if (m.proc === 'heroku-postgres' && m.msg.includes('sample#')) {
    const kv = logfmt(m.msg);
    const active = num(kv.get('sample#active-connections'));
    const db = size(kv.get('sample#db_size'), 'bytes');
    return active === null && db === null ? null : { kind: 'postgres', activeConnections: active, dbSizeBytes: db };
  }
  return null;
}

/**
 * The value of `key=` in a logfmt line (quoted or up to the next space), or undefined. Router lines
 * are most of a drain, so they are read by a few indexOf calls rather than a Map of every pair.
 */
export function field(line: string, key: string): string | undefined {
  const needle = `${key}=`;
  let i = line.startsWith(needle) ? 0 : line.indexOf(` ${needle}`);
  if (i < 0) return undefined;
  if (i > 0 || !line.startsWith(needle)) i += 1;
  const start = i + needle.length;
  if (line.charCodeAt(start) === 0x22) {
    const end = line.indexOf('"', start + 1);
    return end < 0 ? line.slice(start + 1) : line.slice(start + 1, end);
  }
  const end = line.indexOf(' ', start);
  return end < 0 ? line.slice(start) : line.slice(start, end);
}

function routerLine(msg: string): DrainLine | null {
  const status = Number(field(msg, 'status'));
  if (!Number.isInteger(status) || status < 100 || status > 599) return null;
  // Not only `at=error`: Heroku writes H27/H28 at `warning` and H80/H81 at `info` (Dev Center "Error Codes").
  const code = field(msg, 'code') ?? null;
  const connect = ms(field(msg, 'connect'));
  const service = ms(field(msg, 'service'));
  const latencyMs = connect === null && service === null ? null : (connect ?? 0) + (service ?? 0);
  return {
    kind: 'router',
    method: field(msg, 'method') ?? '',
    path: field(msg, 'path') ?? '',
    status,
    latencyMs,
    dyno: field(msg, 'dyno') || null, // `dyno=` is empty on H80/H81/H10 lines
    code: code && /^H\d{2}$/.test(code) ? code : null,
  };
}
