import { z } from 'zod';
import { channelId, expected, positive, strict } from './schema-kit.ts';

/**
 * `drift:` — the daily drift digest (issue 23 §4): when staging and production have disagreed for
 * longer than `after_days` (or an environment has been locked longer than `locked_hours`), one
 * message at `time` (UTC, "HH:MM") in `channel` (default: announce_channel). Absent: no digest.
 */
export const driftSchema = strict(
  {
    time: z
      .string({ error: expected('a time of day in UTC such as "09:00"') })
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a time of day in UTC such as "09:00" (HH:MM, 24 h)' })
      .default('09:00'),
    channel: channelId().optional(),
    after_days: positive('a positive number of days').default(2),
    locked_hours: positive('a positive number of hours').default(24),
  },
  'a mapping with time, channel, after_days and locked_hours',
)
  .optional()
  .transform((d) =>
    d
      ? {
          minuteOfDay: Number(d.time.slice(0, 2)) * 60 + Number(d.time.slice(3)),
          channel: d.channel ?? null,
          afterDays: d.after_days,
          lockedHours: d.locked_hours,
        }
      : null,
  );

/** Null when the file has no `drift:` section (no digest). */
export type DriftSection = z.output<typeof driftSchema>;
