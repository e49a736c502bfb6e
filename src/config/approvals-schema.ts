import type { z } from 'zod';
import { positive, strict } from './schema-kit.ts';

/** `approvals:` — how long a pending request waits before it expires. */
export const approvalsSchema = strict(
  { ttl_minutes: positive('a positive number of minutes').default(30) },
  'a mapping with ttl_minutes',
)
  .default({ ttl_minutes: 30 })
  .transform((a) => ({ ttlMinutes: a.ttl_minutes }));

export type ApprovalsSection = z.output<typeof approvalsSchema>;
