/**
 * When a scheduled change runs (issue 23 §1), pure: the words after the environment
 * (`at 2026-12-08 09:00`, `in 2h`, `in 1h30m`) and the wall clock of a time zone (Intl, no
 * library). Parsing needs no clock; resolving needs the time of the request and the zone, so a
 * typed local time that does not exist (a DST gap) or exists twice (a DST overlap) is refused
 * instead of guessed.
 */

/** What was typed, before it is tied to a clock. */
export type WhenSpec =
  | { kind: 'at'; year: number; month: number; day: number; hour: number; minute: number }
  | { kind: 'in'; ms: number };

export type WhenParse = { ok: true; when: WhenSpec } | { ok: false; error: string };

/** Furthest ahead a change may be scheduled: a forgotten schedule should not fire months later. */
export const MAX_AHEAD_MS = 30 * 24 * 3_600_000;

const UNIT_MS = { d: 24 * 3_600_000, h: 3_600_000, m: 60_000 } as const;
const DURATION = /^(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,5})m)?$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;
const EXAMPLE = '`at 2026-12-08 09:00` (24 h) or `in 2h` (also 30m, 1d, 1h30m)';

/** The words after the environment: `at <date> <time>`, `at <date>T<time>`, or `in <duration>`. */
export function parseWhen(words: readonly string[]): WhenParse {
  const [keyword, ...rest] = words;
  const word = keyword?.toLowerCase();
  if (word === 'in') return parseIn(rest);
  if (word === 'at') return parseAt(rest);
  return { ok: false, error: `Unexpected "${keyword ?? ''}": to schedule it, say when: ${EXAMPLE}.` };
}

function parseIn(rest: readonly string[]): WhenParse {
  const text = rest.join(' ');
  const m = rest.length === 1 ? DURATION.exec(rest[0]!) : null;
  if (!m || !(m[1] || m[2] || m[3]))
    return { ok: false, error: `I cannot read "in ${text}" as a duration; write it as 2h, 30m, 1d or 1h30m.` };
  const ms = Number(m[1] ?? 0) * UNIT_MS.d + Number(m[2] ?? 0) * UNIT_MS.h + Number(m[3] ?? 0) * UNIT_MS.m;
  if (ms <= 0) return { ok: false, error: `"in ${text}" is now; leave out \`in …\` to change it now.` };
  if (ms > MAX_AHEAD_MS) return { ok: false, error: `"in ${text}" is too far ahead; at most 30 days.` };
  return { ok: true, when: { kind: 'in', ms } };
}

function parseAt(rest: readonly string[]): WhenParse {
  const text = rest.join(' ');
  const [datePart, timePart, extra] = rest.length === 1 ? (rest[0]!.split(/t/i) as [string, string?]) : rest;
  if (extra !== undefined || rest.length === 0)
    return { ok: false, error: `I cannot read "at ${text}"; write it as ${EXAMPLE}.` };
  if (timePart === undefined && TIME.test(datePart ?? ''))
    return {
      ok: false,
      error: `"at ${text}" is ambiguous (today or tomorrow?); give the date too, e.g. \`at 2026-12-08 ${datePart}\`.`,
    };
  const d = DATE.exec(datePart ?? '');
  const t = TIME.exec(timePart ?? '');
  if (!d || !t) return { ok: false, error: `I cannot read "at ${text}"; write it as ${EXAMPLE}.` };
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || probe.getUTCDate() !== day || probe.getUTCMonth() !== month - 1)
    return { ok: false, error: `"${datePart}" is not a date in the calendar.` };
  return { ok: true, when: { kind: 'at', year, month, day, hour: Number(t[1]), minute: Number(t[2]) } };
}

export type WhenResolve = { ok: true; runAt: number } | { ok: false; error: string };

/**
 * The instant `when` means for a request made at `requestedAt`, local times read in `zone`.
 * Refuses a time that is not after `requestedAt` or beyond MAX_AHEAD_MS, and a local time that a
 * daylight-saving change skips or repeats.
 */
export function resolveWhen(when: WhenSpec, requestedAt: number, zone: string): WhenResolve {
  if (when.kind === 'in') return { ok: true, runAt: requestedAt + when.ms };
  const local = Date.UTC(when.year, when.month - 1, when.day, when.hour, when.minute);
  const text = `${formatLocal(local, 'UTC').slice(0, 16)} ${zone}`;
  const found = instantsOf(local, zone);
  if (found.length === 0)
    return { ok: false, error: `${text} does not exist (the clocks skip it for daylight saving); pick another time.` };
  if (found.length > 1)
    return {
      ok: false,
      error: `${text} happens twice (the clocks go back for daylight saving), so it is ambiguous; pick another time.`,
    };
  const runAt = found[0]!;
  if (runAt <= requestedAt)
    return { ok: false, error: `${text} is in the past (it is ${formatWhen(requestedAt, zone)} now).` };
  if (runAt - requestedAt > MAX_AHEAD_MS) return { ok: false, error: `${text} is too far ahead; at most 30 days.` };
  return { ok: true, runAt };
}

/** Every instant whose wall clock in `zone` reads `local` (a UTC-encoded wall time): 0, 1 or 2 of them. */
export function instantsOf(local: number, zone: string): number[] {
  const offsets = new Set([-1, 0, 1].map((days) => offsetAt(local + days * UNIT_MS.d, zone)));
  const out = [...offsets].map((o) => local - o).filter((t) => offsetAt(t, zone) === local - t);
  return [...new Set(out)].sort((a, b) => a - b);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The wall clock of `zone` at `t`, as a UTC-encoded timestamp (seconds dropped). */
function wallClock(t: number, zone: string): number {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(t)
      .map((p) => [p.type, p.value]),
  );
  const n = (k: string) => Number(parts[k]);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'));
}

/** How far `zone`'s wall clock is ahead of UTC at `t`, in ms. */
function offsetAt(t: number, zone: string): number {
  const minute = t - (((t % 60_000) + 60_000) % 60_000);
  return wallClock(minute, zone) - minute;
}

/** Whether Intl knows `zone` ("Europe/Berlin", "UTC"). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "2026-12-08 09:00" on `zone`'s wall clock. */
export function formatLocal(t: number, zone: string): string {
  return new Date(wallClock(t, zone)).toISOString().replace('T', ' ').slice(0, 16);
}

/** "2026-12-08 09:00 Europe/Berlin": how a scheduled time is written everywhere. */
export function formatWhen(t: number, zone: string): string {
  return `${formatLocal(t, zone)} ${zone}`;
}

/** "2 h 30 min", "1 d 2 h", "45 min", "less than a minute". */
export function formatSpan(ms: number): string {
  const total = Math.round(ms / 60_000);
  if (total < 1) return 'less than a minute';
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} min` : ''].filter(Boolean).join(' ');
}
