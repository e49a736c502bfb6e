import { z } from 'zod';
import type { AlertRoute, AlertRouting } from '../core/alerts/routing.ts';
import { channelId, expected, strict, text } from './schema-kit.ts';

const route = strict(
  {
    source: text('a source such as "sentry"').optional(),
    env: text('an environment name').optional(),
    severity: text('a severity such as "critical"').optional(),
    project: text('a project name').optional(),
    channel: channelId(),
  },
  'a mapping',
).transform((r): AlertRoute => {
  const out: AlertRoute = { channel: r.channel };
  if (r.source !== undefined) out.source = r.source;
  if (r.env !== undefined) out.env = r.env;
  if (r.severity !== undefined) out.severity = r.severity;
  if (r.project !== undefined) out.project = r.project;
  return out;
});

const DEFAULTS = { default_channel: undefined, routes: [], context_window_minutes: 60, retention_days: 30 };

/** `alerts:` — default channel, routes (first match wins), context window, retention. */
export const alertsSchema = strict(
  {
    default_channel: channelId().optional(),
    routes: z.array(route, { error: 'expected a list of rules' }).default([]),
    context_window_minutes: z
      .number({ error: expected('a number of minutes') })
      .min(0, { error: 'expected a number of minutes' })
      .default(60),
    // At least a day: a pruned delivery can no longer be recognised as a duplicate when a sender retries it.
    retention_days: z
      .number({ error: expected('a number of days, at least 1') })
      .min(1, { error: 'expected a number of days, at least 1' })
      .default(30),
  },
  'a mapping with default_channel and routes',
)
  .default(DEFAULTS)
  .transform(
    (a): AlertRouting => ({
      defaultChannel: a.default_channel ?? null,
      routes: a.routes,
      contextWindowMinutes: a.context_window_minutes,
      retentionDays: a.retention_days,
    }),
  );

export type AlertsSection = z.output<typeof alertsSchema>;
