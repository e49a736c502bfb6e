import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';

/** `drift:` (issue 23 §4): strict like every section; the digest needs a channel. */
const base = `
environments:
  - { name: staging, heroku_app: autorisen, github_repo: o/r, base_url: "https://a.example" }
  - { name: production, heroku_app: capecraft, github_repo: o/r, base_url: "https://c.example", production: true }
`;

function load(yaml: string) {
  try {
    return { config: loadConfig({}, () => yaml), problems: [] as readonly string[] };
  } catch (err) {
    if (err instanceof ConfigError) return { config: null, problems: err.problems };
    throw err;
  }
}

describe('drift config', () => {
  it('is off without the section, and fills defaults with it', () => {
    expect(load(base).config?.drift).toBeNull();
    expect(load(`${base}announce_channel: C0ROLLOUT1\ndrift: {}\n`).config?.drift).toEqual({
      minuteOfDay: 9 * 60,
      channel: null,
      afterDays: 2,
      lockedHours: 24,
    });
    expect(
      load(`${base}drift: { time: "17:30", channel: C0DRIFT01, after_days: 1, locked_hours: 6 }\n`).config?.drift,
    ).toEqual({ minuteOfDay: 17 * 60 + 30, channel: 'C0DRIFT01', afterDays: 1, lockedHours: 6 });
  });

  it('names each problem: unknown key, a time that is not HH:MM, no channel anywhere', () => {
    const p = load(`${base}drift: { time: "9am", after_day: 3 }\n`).problems;
    expect(p).toContain('drift.after_day: unknown key; did you mean "after_days"?');
    expect(load(`${base}drift: { time: "24:00", channel: C0DRIFT01 }\n`).problems).toEqual([
      'drift.time: expected a time of day in UTC such as "09:00" (HH:MM, 24 h)',
    ]);
    expect(load(`${base}drift: { time: "09:00" }\n`).problems).toEqual([
      'drift.channel: required (or set announce_channel), expected a Slack channel id such as "C0123ABCD"',
    ]);
  });
});
