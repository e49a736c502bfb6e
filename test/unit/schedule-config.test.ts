import { describe, expect, it } from 'vitest';
import { loadYaml as load, TWO_ENVIRONMENTS as base } from '../support/config-yaml.ts';

/** `schedule:` (issue 23 §1): strict like every section; an unknown zone is refused at boot, by key. */
describe('schedule config', () => {
  it('is UTC with a 10 minute grace without the section, and takes a zone Intl knows', () => {
    expect(load(base).config?.schedule).toEqual({ timezone: 'UTC', lateGraceMs: 10 * 60_000 });
    expect(load(`${base}schedule: { timezone: Europe/Berlin, late_grace_minutes: 0 }\n`).config?.schedule).toEqual({
      timezone: 'Europe/Berlin',
      lateGraceMs: 0,
    });
  });

  it('names each problem: an unknown zone, a misspelt key, a grace that is not whole minutes', () => {
    expect(load(`${base}schedule: { timezone: Europe/Berlinn }\n`).problems).toEqual([
      'schedule.timezone: unknown time zone "Europe/Berlinn", expected an IANA name such as "Europe/Berlin"',
    ]);
    expect(load(`${base}schedule: { time_zone: UTC }\n`).problems).toContain(
      'schedule.time_zone: unknown key; did you mean "timezone"?',
    );
    expect(load(`${base}schedule: { late_grace_minutes: 2.5 }\n`).problems).toEqual([
      'schedule.late_grace_minutes: expected a whole number of minutes',
    ]);
  });
});
