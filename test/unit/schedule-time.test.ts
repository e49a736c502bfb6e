import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatLocal,
  formatSpan,
  formatWhen,
  instantsOf,
  isKnownZone,
  MAX_AHEAD_MS,
  parseWhen,
  resolveWhen,
} from '../../src/core/schedule-time.ts';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const words = (s: string) => s.split(' ');
const runAt = (text: string, zone = 'UTC', now = T0) => {
  const p = parseWhen(words(text));
  if (!p.ok) return p.error;
  const r = resolveWhen(p.when, now, zone);
  return r.ok ? new Date(r.runAt).toISOString() : r.error;
};

describe('the scheduled time parser', () => {
  it('reads `in` durations, alone and combined', () => {
    expect(runAt('in 2h')).toBe('2026-12-07T11:00:00.000Z');
    expect(runAt('in 30m')).toBe('2026-12-07T09:30:00.000Z');
    expect(runAt('in 1d')).toBe('2026-12-08T09:00:00.000Z');
    expect(runAt('in 1h30m')).toBe('2026-12-07T10:30:00.000Z');
    expect(runAt('in 1D2H5M')).toBe('2026-12-08T11:05:00.000Z');
  });

  it('reads `at` as a date and a 24 h time, in UTC or the configured zone', () => {
    expect(runAt('at 2026-12-08 09:00')).toBe('2026-12-08T09:00:00.000Z');
    expect(runAt('at 2026-12-08T09:00')).toBe('2026-12-08T09:00:00.000Z');
    expect(runAt('at 2026-12-08 09:00', 'Europe/Berlin')).toBe('2026-12-08T08:00:00.000Z');
    expect(runAt('at 2026-12-08 09:00', 'America/New_York')).toBe('2026-12-08T14:00:00.000Z');
  });

  it('refuses what it cannot read, what is ambiguous and what is in the past, saying which', () => {
    expect(runAt('in 2 hours')).toContain('as a duration');
    expect(runAt('in 0m')).toContain('is now');
    expect(runAt('in 31d')).toContain('too far ahead');
    expect(runAt('at 9am')).toContain('I cannot read "at 9am"');
    expect(runAt('at 09:00')).toContain('ambiguous (today or tomorrow?)');
    expect(runAt('at 2026-13-01 09:00')).toContain('not a date');
    expect(runAt('at 2026-12-07 09:00')).toContain('is in the past');
    expect(runAt('at 2027-03-01 09:00')).toContain('too far ahead');
    expect(runAt('at 2026-12-08 09:00 UTC')).toContain('I cannot read');
    expect(runAt('tomorrow')).toContain('say when');
  });

  it('refuses a local time a daylight-saving change skips or repeats', () => {
    const march = Date.UTC(2027, 2, 20);
    const october = Date.UTC(2027, 9, 25);
    expect(runAt('at 2027-03-28 02:30', 'Europe/Berlin', march)).toContain('does not exist');
    expect(runAt('at 2027-10-31 02:30', 'Europe/Berlin', october)).toContain('happens twice');
    expect(runAt('at 2027-10-31 03:30', 'Europe/Berlin', october)).toBe('2027-10-31T02:30:00.000Z');
  });

  it('knows zones Intl knows, and writes times on their wall clock', () => {
    expect(isKnownZone('Europe/Berlin')).toBe(true);
    expect(isKnownZone('Mars/Olympus')).toBe(false);
    expect(formatWhen(T0, 'Asia/Kolkata')).toBe('2026-12-07 14:30 Asia/Kolkata');
    expect(formatSpan(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatSpan(25 * 3_600_000)).toBe('1 d 1 h');
  });

  const ZONES = [
    'UTC',
    'Europe/Berlin',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'America/Santiago',
  ];

  it('property: any instant written on a zone’s wall clock reads back to that instant (or is refused as ambiguous)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(2026, 0, 1) / 60_000, max: Date.UTC(2030, 0, 1) / 60_000 }),
        fc.constantFrom(...ZONES),
        (minute, zone) => {
          const t = minute * 60_000;
          const [date, time] = formatLocal(t, zone).split(' ') as [string, string];
          const p = parseWhen(['at', date, time]);
          expect(p.ok).toBe(true);
          if (!p.ok) return;
          const found = instantsOf(Date.UTC(...toParts(date, time)), zone);
          expect(found).toContain(t);
          const r = resolveWhen(p.when, t - 60_000, zone);
          if (found.length === 1) expect(r).toEqual({ ok: true, runAt: t });
          else expect(r.ok ? '' : r.error).toContain('happens twice');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('property: `in` is exactly the duration after the request, and never beyond the limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (d, h, m) => {
          const text = `${d ? `${d}d` : ''}${h ? `${h}h` : ''}${m ? `${m}m` : ''}`;
          const ms = ((d * 24 + h) * 60 + m) * 60_000;
          const p = parseWhen(['in', text || '0m']);
          if (ms === 0 || ms > MAX_AHEAD_MS) expect(p.ok).toBe(false);
          else expect(p.ok && resolveWhen(p.when, T0, 'Europe/Berlin')).toEqual({ ok: true, runAt: T0 + ms });
        },
      ),
    );
  });
});

function toParts(date: string, time: string): [number, number, number, number, number] {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  return [y, mo - 1, d, h, mi];
}
