import { describe, expect, it } from 'vitest';
import { loadYaml as load, TWO_ENVIRONMENTS as base } from '../support/config-yaml.ts';

/** `break_glass:` (issue 23 §2): strict like every section; defaults without it. */
describe('break_glass config', () => {
  it('defaults to an hourly reminder in the announce channel; both can be set', () => {
    expect(load(base).config?.breakGlass).toEqual({ reviewReminderMinutes: 60, reviewChannel: null });
    expect(
      load(`${base}break_glass: { review_reminder_minutes: 15, review_channel: C0REVIEW1 }\n`).config?.breakGlass,
    ).toEqual({ reviewReminderMinutes: 15, reviewChannel: 'C0REVIEW1' });
  });

  it('names each problem: an unknown key, a non-positive interval, a channel that is not an id', () => {
    expect(load(`${base}break_glass: { review_reminder_minute: 15 }\n`).problems).toContain(
      'break_glass.review_reminder_minute: unknown key; did you mean "review_reminder_minutes"?',
    );
    expect(load(`${base}break_glass: { review_reminder_minutes: 0 }\n`).problems.join()).toMatch(
      /break_glass\.review_reminder_minutes: expected a positive number of minutes/,
    );
    expect(load(`${base}break_glass: { review_channel: "#ops" }\n`).problems.join()).toMatch(
      /break_glass\.review_channel: .*Slack channel/,
    );
  });
});
