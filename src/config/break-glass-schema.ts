import type { z } from 'zod';
import { channelId, positive, strict } from './schema-kit.ts';

/**
 * `break_glass:` — an admin's change that skips the second person (issue 23 §2). The review it asks
 * for afterwards is reminded every `review_reminder_minutes` until someone other than the actor
 * acknowledges it, in `review_channel` (default: announce_channel, else where it was run).
 * Absent: every default.
 */
export const breakGlassSchema = strict(
  {
    review_reminder_minutes: positive('a positive number of minutes').default(60),
    review_channel: channelId().optional(),
  },
  'a mapping with review_reminder_minutes and review_channel',
)
  .optional()
  .transform((b) => ({
    reviewReminderMinutes: b?.review_reminder_minutes ?? 60,
    reviewChannel: b?.review_channel ?? null,
  }));

/** The break-glass settings, with their defaults when the file has no `break_glass:` section. */
export type BreakGlassSection = z.output<typeof breakGlassSchema>;
