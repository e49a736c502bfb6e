import type { AlertGroup, DigestSummary } from '../../core/alerts/alert-group.ts';
import type { Alert, AlertSource, AlertStatus, ChangeEvent } from '../../core/alerts/alerts.ts';

// The rows the store keeps are the core's (the alert messages are drawn from them).
export type { AlertGroup, DigestSummary };

/** An accepted webhook delivery, stored before the 202. */
export interface DeliveryRecord {
  id: string;
  source: AlertSource;
  /** Sender's delivery id when it has a stable one, else `sha256:<hex of raw body>`; unique. */
  dedupKey: string;
  resource: string | null;
  receivedAt: number;
  body: string;
  /** "2 alerts", "1 notice", "ignored: installation created". */
  outcome: string;
}

/** One alert with its destination, as intake stores it. */
export interface RoutedAlert {
  alert: Alert;
  channel: string | null;
}

/** A change notice with its destination. */
export interface RoutedNotice {
  key: string;
  channel: string | null;
  env: string | null;
  text: string;
}

/** A digest message summarising a storm of alerts in one channel. */
export interface DigestRecord {
  id: string;
  channel: string;
  createdAt: number;
  messageTs: string | null;
  version: number;
  syncedVersion: number;
}

export interface NoticeRecord {
  key: string;
  channel: string;
  env: string | null;
  text: string;
  createdAt: number;
}

export interface SilenceRecord {
  id: string;
  fingerprint: string;
  until: number;
  by: string;
  at: number;
}

/** Counts for `/autorisen alerts`, the benchmark's zero-loss proof and health. */
export interface AlertStats {
  deliveries: number;
  groups: number;
  /** Sum of counts over all groups: every firing event accepted. */
  events: number;
  pendingGroups: number;
  pendingNotices: number;
  pendingDigests: number;
}

/** What was given up when a channel turned out to be unusable. */
export interface AbandonCounts {
  groups: number;
  notices: number;
  /** Digests never posted, dropped (their groups are set free). */
  digests: number;
}

/** Rows removed by one pruning pass, per table. */
export interface PruneCounts {
  deliveries: number;
  groups: number;
  notices: number;
  digests: number;
  silences: number;
  changes: number;
  /** Per-minute activity rows (migration 031). */
  occurrences: number;
  chartLinks: number;
}

export interface AlertStore {
  /**
   * Store the delivery and fold what it became into groups, notices and change history, in one
   * transaction. `duplicate` when the dedup key was seen before (nothing else is written then).
   */
  accept(
    delivery: DeliveryRecord,
    alerts: RoutedAlert[],
    notices: RoutedNotice[],
    changes: ChangeEvent[],
  ): Promise<{ duplicate: boolean }>;
  /** Several `accept`s in one transaction (group commit under load); results in order. All or nothing. */
  acceptBatch(
    items: { delivery: DeliveryRecord; alerts: RoutedAlert[]; notices: RoutedNotice[]; changes: ChangeEvent[] }[],
  ): Promise<{ duplicate: boolean }[]>;
  getGroup(fingerprint: string): Promise<AlertGroup | null>;
  /**
   * Groups with their own message (or none yet) that Slack is behind on, excluding those whose
   * silence is already shown and still active. Groups inside a digest are not listed: their
   * digest is pending instead (see pendingDigests/touchDigest), so a storm costs one row per digest.
   */
  pendingGroups(now: number, limit: number): Promise<AlertGroup[]>;
  pendingNotices(limit: number): Promise<NoticeRecord[]>;
  /** Digests never posted, with changes not yet shown, or with groups that changed since (dirty). */
  pendingDigests(limit: number): Promise<DigestRecord[]>;
  /**
   * Compare-and-set claim on one piece of Slack work (a group's first post, a notice, a digest
   * post) until `until`; false when another worker holds it. Stops two instances posting it twice.
   */
  claimPost(kind: 'group' | 'notice' | 'digest', id: string, now: number, until: number): Promise<boolean>;
  /** Give a claim back after a failed Slack call, so the next attempt need not wait for it to lapse. */
  releasePost(kind: 'group' | 'notice' | 'digest', id: string): Promise<void>;
  /** Record what Slack now shows for the group (CAS on version). Sets message ts/context once. */
  markGroupSynced(
    fingerprint: string,
    shown: {
      version: number;
      count: number;
      shownSilence: number | null;
      /** The status and acknowledgement rendered (absent: unknown, so a silence does not hide a change). */
      status?: AlertStatus;
      ackedBy?: string | null;
      messageTs?: string;
      context?: string | null;
    },
  ): Promise<boolean>;
  markNoticePosted(key: string, ts: string | null, at: number): Promise<void>;
  /** The digest of `channel` created at or after `since`, if any (storms keep adding to it). */
  openDigest(channel: string, since: number): Promise<DigestRecord | null>;
  /** Create a digest (or reuse `digestId`) and move the still-unposted groups into it; bumps its version. */
  addToDigest(digest: { id: string; channel: string; createdAt: number }, fingerprints: string[]): Promise<number>;
  /** What a digest message shows: totals over all its groups, and the `top` groups with most events. */
  digestSummary(digestId: string, top: number): Promise<DigestSummary>;
  /**
   * Fold every changed group of the digest into it in one statement: the groups are marked shown
   * at their current versions and the digest's version is bumped (so its message is updated once).
   * Returns the digest's new version, or null when no group had changed.
   */
  touchDigest(digestId: string): Promise<number | null>;
  markDigestSynced(id: string, version: number, messageTs?: string): Promise<boolean>;
  /** Record who acknowledged; null when the group is unknown, unchanged when already acknowledged. */
  acknowledge(fingerprint: string, by: string, at: number): Promise<AlertGroup | null>;
  /** Persist a silence and mark the group silenced until `until`. */
  silence(record: SilenceRecord): Promise<AlertGroup | null>;
  /** Firing, unacknowledged groups, newest activity first; `env` null = every environment. */
  listOpen(env: string | null, limit: number): Promise<AlertGroup[]>;
  /** Change history recorded from Heroku release webhooks for `env` at or after `since`. */
  changesSince(env: string, since: number): Promise<ChangeEvent[]>;
  /** Lease a channel's queue to one worker (CAS; renewable by the same owner). */
  leaseChannel(channel: string, owner: string, now: number, until: number): Promise<boolean>;
  releaseChannel(channel: string, owner: string): Promise<void>;
  stats(): Promise<AlertStats>;
  /**
   * Slack deleted the message (or no longer lets us edit it): forget its ts, compare-and-set on
   * `ts`, so the next pass posts a fresh message. False when it was already forgotten or replaced.
   */
  forgetMessage(kind: 'group' | 'digest', id: string, ts: string): Promise<boolean>;
  /** Slack says the channel is gone or closed to the bot: stop trying to bring it up to date. */
  abandonChannel(channel: string, now: number): Promise<AbandonCounts>;
  /**
   * Retention: delete at most `limit` rows per table that are older than `cutoff` — deliveries by
   * receipt, groups resolved (or last seen) before it and fully shown in Slack, posted notices,
   * emptied digests, ended silences, change history. Call again while any count equals `limit`.
   */
  prune(cutoff: number, now: number, limit: number): Promise<PruneCounts>;
}
