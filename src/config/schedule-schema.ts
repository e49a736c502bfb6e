import { z } from 'zod';
import { isKnownZone } from '../core/schedule-time.ts';
import { expected, strict } from './schema-kit.ts';

/**
 * `schedule:` — scheduled flag changes (issue 23 §1). `timezone` is the zone `at 2026-12-08 09:00`
 * is read in (an IANA name Intl knows, such as "Europe/Berlin"; default UTC). A change whose time
 * passed while no instance ran still runs within `late_grace_minutes` (saying how late), and is
 * skipped as missed after that. Absent: UTC and 10 minutes.
 */
export const scheduleSchema = strict(
  {
    timezone: z
      .string({ error: expected('an IANA time zone such as "Europe/Berlin"') })
      .refine(isKnownZone, {
        error: (iss) => `unknown time zone "${String(iss.input)}", expected an IANA name such as "Europe/Berlin"`,
      })
      .default('UTC'),
    late_grace_minutes: z
      .number({ error: expected('a number of minutes') })
      .int({ error: 'expected a whole number of minutes' })
      .min(0, { error: 'expected 0 or more minutes' })
      .max(24 * 60, { error: 'expected at most 1440 minutes (a day)' })
      .default(10),
  },
  'a mapping with timezone and late_grace_minutes',
)
  .optional()
  .transform((s) => ({ timezone: s?.timezone ?? 'UTC', lateGraceMs: (s?.late_grace_minutes ?? 10) * 60_000 }));

/** The zone times are read in and the grace for a late run; defaults without a `schedule:` section. */
export type ScheduleSection = z.output<typeof scheduleSchema>;
