import type { Alert, AlertSource, AlertStatus, Severity } from './alerts.ts';

/**
 * Everything known about one fingerprint: the Slack message (or digest) it lives in, how many
 * times it fired, and what Slack last showed (`syncedVersion`/`syncedCount`). `version >
 * syncedVersion` means Slack is behind: that is the outbox.
 */
export interface AlertGroup {
  fingerprint: string;
  channel: string | null;
  source: AlertSource;
  env: string | null;
  severity: Severity;
  title: string;
  /** The latest alert of this fingerprint (detail, links, labels). */
  alert: Alert;
  status: AlertStatus;
  count: number;
  firstSeen: number;
  lastSeen: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  ackedBy: string | null;
  ackedAt: number | null;
  silencedUntil: number | null;
  silencedBy: string | null;
  /** Context line computed when first posted ("12 min after v664 …"). */
  context: string | null;
  messageTs: string | null;
  digestId: string | null;
  version: number;
  syncedVersion: number;
  syncedCount: number;
  /** `silencedUntil` as last rendered, so a shown silence is not re-rendered every tick. */
  shownSilence: number | null;
}

/** Totals and the top groups of a digest, for its message. */
export interface DigestSummary {
  /** The groups with most events, most first (at most the `top` asked for). */
  top: AlertGroup[];
  groups: number;
  events: number;
  firing: number;
}
