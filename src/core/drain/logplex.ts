/**
 * Heroku HTTPS log drain bodies (`Content-Type: application/logplex-1`), pure: RFC 6587
 * octet-counted frames `"<len> <msg>"`, where `len` counts the bytes of the RFC 5424 message
 * including its trailing LF (heroku/logplex doc/README.http_drains.md). Heroku omits the
 * STRUCTURED-DATA field: `<158>1 <ts> host heroku router - at=info …`.
 *
 * One wrong length must not cost the whole batch (issue 12): a frame whose count does not land on
 * a LF followed by the next frame's header (or the end of the body) is counted as malformed and
 * parsing resumes at the next line that starts like a frame.
 */

/** One syslog message of a drain body. */
export interface SyslogMessage {
  /** Milliseconds since the epoch, from the RFC 5424 TIMESTAMP. */
  at: number;
  /** APP-NAME: `heroku` for router/runtime lines, `app` for the app's own (and add-ons') lines. */
  app: string;
  /** PROCID: `router`, `web.1`, `heroku-postgres`, … */
  proc: string;
  msg: string;
}

export interface LogplexBatch {
  messages: SyslogMessage[];
  /** Frames that could not be read (bad count, not RFC 5424, bad timestamp); each lost alone. */
  malformed: number;
}

const SPACE = 0x20;
const LF = 0x0a;
const LT = 0x3c;

/** Longest count we believe: logplex truncates messages far below this (10 KB by default). */
const MAX_FRAME_BYTES = 64 * 1024;

/** Parse a whole drain body. Never throws; every unreadable frame is counted in `malformed`. */
export function parseLogplexBody(body: Buffer): LogplexBatch {
  const messages: SyslogMessage[] = [];
  let malformed = 0;
  let i = 0;
  const n = body.length;
  while (i < n) {
    // Tolerate stray LFs between frames (some relays add them).
    if (body[i] === LF) {
      i++;
      continue;
    }
    const head = frameHeader(body, i);
    if (head !== null) {
      const { len, start } = head;
      const end = start + len;
      if (
        end <= n &&
        body[end - 1] === LF &&
        (end === n || frameHeader(body, end) !== null || body[end] === LF) &&
        !swallowsAFrame(body, start, end - 1)
      ) {
        const m = parseSyslog(body.toString('utf8', start, end - 1));
        if (m) messages.push(m);
        else malformed++;
        i = end;
        continue;
      }
    }
    malformed++;
    i = nextFrameStart(body, i + 1);
  }
  return { messages, malformed };
}

/** `<digits> <` at `i`: the count and where the message starts, else null. */
function frameHeader(b: Buffer, i: number): { len: number; start: number } | null {
  let len = 0;
  let j = i;
  while (j < b.length && j - i < 6) {
    const c = b[j]!;
    if (c < 0x30 || c > 0x39) break;
    len = len * 10 + (c - 0x30);
    j++;
  }
  if (j === i || j + 1 >= b.length || b[j] !== SPACE || b[j + 1] !== LT) return null;
  if (len < 2 || len > MAX_FRAME_BYTES) return null;
  return { len, start: j + 1 };
}

/** A count too long by exactly the next frames would take them in: a LF + frame header inside means a bad count. */
function swallowsAFrame(b: Buffer, start: number, end: number): boolean {
  for (let lf = b.indexOf(LF, start); lf >= 0 && lf < end; lf = b.indexOf(LF, lf + 1))
    if (frameHeader(b, lf + 1) !== null) return true;
  return false;
}

/** The first position after a LF at or after `from` where a frame header starts, else the end. */
function nextFrameStart(b: Buffer, from: number): number {
  let i = from;
  while (i < b.length) {
    const lf = b.indexOf(LF, i);
    if (lf < 0) return b.length;
    if (frameHeader(b, lf + 1) !== null) return lf + 1;
    i = lf + 1;
  }
  return b.length;
}

/**
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID MSG` (RFC 5424 §6, STRUCTURED-DATA omitted as
 * Heroku does; a `- ` or `[…] ` SD field before the message is skipped when present).
 */
export function parseSyslog(line: string): SyslogMessage | null {
  const m = /^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) ?/.exec(line);
  if (!m) return null;
  const at = Date.parse(m[2]!);
  if (Number.isNaN(at)) return null;
  return { at, app: m[4]!, proc: m[5]!, msg: line.slice(m[0].length) };
}
