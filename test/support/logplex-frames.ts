import { readFileSync } from 'node:fs';

/** Frame syslog messages for an HTTPS drain body: `<bytes incl. LF> <msg>\n` each (RFC 6587 octet counting). */
export function frame(messages: readonly string[]): Buffer {
  return Buffer.concat(
    messages.map((m) => {
      const msg = Buffer.from(`${m}\n`, 'utf8');
      return Buffer.concat([Buffer.from(`${msg.length} `), msg]);
    }),
  );
}

/** The syslog messages of a fixture of frames, counts dropped (so they can be re-framed correctly). */
export function fixtureMessages(path: string): string[] {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.slice(l.indexOf(' ') + 1));
}

/** Raw bytes of a fixture file. */
export function fixtureBytes(path: string): Buffer {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
}

/** `heroku logs` lines (`<ts> heroku[proc]: msg`) as the RFC 5424 messages a drain delivers. */
export function herokuLogsToSyslog(line: string): string {
  const m = /^(\S+) (\w+)\[([^\]]+)\]: (.*)$/.exec(line);
  if (!m) throw new Error(`not a heroku logs line: ${line}`);
  const pri = m[3] === 'router' ? 158 : 45;
  return `<${pri}>1 ${m[1]} host ${m[2]} ${m[3]} - ${m[4]}`;
}

/** A router line at `iso` with the given fields. */
export function routerLine(
  iso: string,
  f: {
    method?: string;
    path?: string;
    status: number;
    service: number;
    connect?: number;
    code?: string;
    dyno?: string;
  },
): string {
  const head = f.code ? `at=error code=${f.code} desc="x"` : 'at=info';
  return `<158>1 ${iso} host heroku router - ${head} method=${f.method ?? 'GET'} path="${f.path ?? '/'}" host=capecraft.herokuapp.com request_id=8601b555-6a83-4c12-8269-97c8e32cdb22 fwd="204.204.204.204" dyno=${f.dyno ?? 'web.1'} connect=${f.connect ?? 1}ms service=${f.service}ms status=${f.status} bytes=146 protocol=https`;
}

/** A runtime-metrics memory line (as the fixture's, with the numbers given). */
export function memoryLine(iso: string, dyno: string, totalMb: number, quotaMb = 512): string {
  return `<45>1 ${iso} host heroku ${dyno} - source=${dyno} dyno=heroku.155370883.259625dd-a9c7-4987-9c86-08de28dd4f72 sample#memory_total=${totalMb.toFixed(2)}MB sample#memory_rss=${totalMb.toFixed(2)}MB sample#memory_cache=0.00MB sample#memory_swap=0.00MB sample#memory_pgpgin=355603pages sample#memory_pgpgout=333646pages sample#memory_quota=${quotaMb.toFixed(2)}MB`;
}
