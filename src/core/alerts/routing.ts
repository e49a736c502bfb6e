/** Alert routing rules, owned by the core (src/core/alerts/alerts.ts applies them); read by src/config/alerts-schema.ts. */

/** One rule: every field set must match; the first matching rule picks the channel. */
export interface AlertRoute {
  source?: string;
  env?: string;
  severity?: string;
  project?: string;
  channel: string;
}

/** The `alerts:` section: default channel, rules, context window, retention. */
export interface AlertRouting {
  defaultChannel: string | null;
  routes: AlertRoute[];
  contextWindowMinutes: number;
  retentionDays: number;
}
