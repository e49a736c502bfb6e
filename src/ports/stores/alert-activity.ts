import type { MinuteCount } from '../../core/alerts/activity.ts';

/**
 * When alerts fired (per-minute counts, written by the alert intake in the same transaction as the
 * group's count) and the opaque tokens that name an alert's activity chart in public URLs.
 */
export interface AlertActivityStore {
  /** Per-minute occurrence counts of `fingerprint` at or after `since`, oldest first. */
  occurrences(fingerprint: string, since: number): Promise<MinuteCount[]>;
  /** Remember that `token` names `fingerprint`'s chart (idempotent). */
  linkChart(token: string, fingerprint: string, at: number): Promise<void>;
  /** The fingerprint a chart token names, or null when the token is unknown. */
  chartFingerprint(token: string): Promise<string | null>;
}
