import type { Config } from '../../config.ts';
import type { AlertPicture } from '../../core/alerts/activity.ts';
import { DIGEST_LINES, renderAlert, renderDigest, renderNotice, renderRepeat } from '../../core/alerts/messages.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { AlertGroup, AlertStore, DigestRecord, NoticeRecord } from '../../ports/stores/alerts.ts';
import type { ReleaseStore } from '../../ports/stores/releases.ts';
import { contextFor } from './changes.ts';
import type { AlertCharts } from './charts.ts';
import { postKey, UPDATE_KEY, type SlackPacer } from '../../core/slack-pacer.ts';
import { permanentFailure, slackErrorOf } from './slack-failures.ts';

/** Tunables of the delivery worker; defaults follow Slack's limits (PROTOCOLS.md §A5). */
export interface DeliveryOptions {
  /** Gap between chat.postMessage calls to one channel: "1 message per second per channel". */
  postIntervalMs: number;
  /** Gap between chat.update calls (Tier 3: 50+ per minute per workspace → 1.2 s). */
  updateIntervalMs: number;
  /** More new alerts than this waiting for one channel → one digest instead. */
  digestThreshold: number;
  /** New alerts join a channel's digest while it is younger than this. */
  digestWindowMs: number;
  /** How long a claim on one post or a channel lease holds before another worker may take it. */
  claimMs: number;
  /** Longest pause after repeated Slack failures (outage). */
  maxBackoffMs: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryOptions = {
  postIntervalMs: 1_000,
  updateIntervalMs: 1_200,
  digestThreshold: 3,
  digestWindowMs: 5 * 60_000,
  claimMs: 30_000,
  maxBackoffMs: 60_000,
};

export interface SyncDeps {
  alerts: AlertStore;
  releases?: ReleaseStore;
  chat: ChatPort;
  clock: Clock;
  ids: Ids;
  log: Logger;
  config: Pick<Config, 'environments' | 'alerts'>;
  pacer: SlackPacer;
  options: DeliveryOptions;
  /** Activity charts on alert messages; without it messages carry no picture. */
  charts?: AlertCharts;
}

export { postKey, UPDATE_KEY };

/** Thrown Slack failure, with what to pause. */
export class SlackStop extends Error {
  constructor(
    readonly key: string,
    readonly cause: unknown,
  ) {
    super('slack call failed');
  }
}

/**
 * Bring one channel's Slack messages up to date with the store, within the pacer's limits.
 * Returns true when it made progress. Each post is claimed with compare-and-set first, and every
 * result is written back with compare-and-set on the group's version, so two workers never post
 * the same alert and a crash at any point leaves the work pending, never lost.
 */
export async function syncChannel(
  deps: SyncDeps,
  channel: string,
  groups: AlertGroup[],
  notices: NoticeRecord[],
  digests: DigestRecord[],
): Promise<boolean> {
  const { alerts, pacer, options: o } = deps;
  let progress = false;
  const now = () => deps.clock.now();
  const canPost = () => pacer.ready(postKey(channel), now());
  const canUpdate = () => pacer.ready(UPDATE_KEY, now());
  const call = async <T>(key: string, interval: number, fn: () => Promise<T>): Promise<T> => {
    pacer.used(key, now(), interval);
    try {
      return await fn();
    } catch (err) {
      throw new SlackStop(key, err);
    }
  };
  /**
   * After a failed call on `kind`/`id`: a deleted or frozen message is forgotten so a fresh one is
   * posted ('next'); a channel that is gone or closed to the bot is given up on, with one logged
   * error ('abandoned'). Anything else is rethrown: the worker backs off and retries.
   */
  const failed = async (
    err: unknown,
    kind: 'group' | 'notice' | 'digest',
    id: string,
    ts: string | null,
  ): Promise<'next' | 'abandoned'> => {
    await alerts.releasePost(kind, id);
    const cause = err instanceof SlackStop ? err.cause : err;
    const permanent = permanentFailure(cause);
    if (permanent === 'message_gone' && ts !== null && kind !== 'notice') {
      await alerts.forgetMessage(kind, id, ts);
      deps.log.warn(
        { channel, kind, id, slackError: slackErrorOf(cause) },
        'alert message was deleted or can no longer be edited; posting a fresh one',
      );
      return 'next';
    }
    if (permanent === 'channel_gone') {
      const gaveUp = await alerts.abandonChannel(channel, now());
      // New alerts for this channel try again (once each) after this pause, in case it was fixed.
      pacer.pauseUntil(postKey(channel), now() + o.maxBackoffMs);
      deps.log.error(
        { channel, slackError: slackErrorOf(cause), gaveUp },
        'Slack says the alert channel does not exist or the bot is not in it; gave up on what was pending for it (still in /autorisen alerts). Invite the bot or fix alerts.routes / default_channel.',
      );
      return 'abandoned';
    }
    throw err;
  };

  /** Slack refuses a whole message whose image it cannot download (`invalid_blocks`): leave images out a while. */
  const imageRefused = (err: unknown, picture: AlertPicture | undefined) => {
    if (picture?.imageUrl && slackErrorOf(err instanceof SlackStop ? err.cause : err) === 'invalid_blocks')
      deps.charts?.imageFailed(now());
  };

  for (const d of digests) {
    // Fold the digest's changed groups into it first (one statement however many changed).
    const bumped = await alerts.touchDigest(d.id);
    if (bumped !== null) progress = true;
    const version = bumped ?? d.version;
    const post = d.messageTs === null;
    if (!post && version <= d.syncedVersion) continue;
    if (post ? !canPost() : !canUpdate()) continue;
    if (!(await alerts.claimPost('digest', d.id, now(), now() + o.claimMs))) continue;
    try {
      const message = renderDigest(await alerts.digestSummary(d.id, DIGEST_LINES), d.createdAt, now());
      const ts = post
        ? (await call(postKey(channel), o.postIntervalMs, () => deps.chat.post(channel, message))).ts
        : (await call(UPDATE_KEY, o.updateIntervalMs, () => deps.chat.update({ channel, ts: d.messageTs! }, message)),
          undefined);
      await alerts.markDigestSynced(d.id, version, ts);
      progress = true;
    } catch (err) {
      if ((await failed(err, 'digest', d.id, d.messageTs)) === 'abandoned') return true;
      progress = true;
    }
  }

  const t = now();
  const silencedNow = (g: AlertGroup) => g.silencedUntil !== null && g.silencedUntil > t;
  const fresh: AlertGroup[] = [];
  const existing: AlertGroup[] = [];
  for (const g of groups) {
    if (g.messageTs) existing.push(g);
    else if ((g.status === 'resolved' && g.count === 0) || silencedNow(g)) {
      // Recorded, not posted: a resolution of something never shown, or a silenced alert.
      await alerts.markGroupSynced(g.fingerprint, {
        version: g.version,
        count: g.syncedCount,
        shownSilence: g.silencedUntil,
        status: g.status,
        ackedBy: g.ackedBy,
      });
      progress = true;
    } else fresh.push(g);
  }

  if (fresh.length) {
    const open = await alerts.openDigest(channel, t - o.digestWindowMs);
    if (open || fresh.length > o.digestThreshold) {
      const digest = open ?? { id: `dg-${deps.ids.next()}`, channel, createdAt: t };
      await alerts.addToDigest(
        digest,
        fresh.map((g) => g.fingerprint),
      );
      return true; // the digest is now pending; the caller comes straight back for it
    }
    for (const g of fresh) {
      if (!canPost()) break;
      if (!(await alerts.claimPost('group', g.fingerprint, now(), now() + o.claimMs))) continue;
      let picture: AlertPicture | undefined;
      try {
        const context = await contextFor(
          {
            alerts,
            releases: deps.releases,
            environments: deps.config.environments,
            windowMinutes: deps.config.alerts.contextWindowMinutes,
          },
          g.env,
          g.firstSeen,
        );
        picture = await deps.charts?.pictureFor(g.fingerprint, g.count, now());
        const ref = await call(postKey(channel), o.postIntervalMs, () =>
          deps.chat.post(channel, renderAlert({ ...g, context }, now(), picture)),
        );
        await alerts.markGroupSynced(g.fingerprint, {
          version: g.version,
          count: g.count,
          shownSilence: g.silencedUntil,
          status: g.status,
          ackedBy: g.ackedBy,
          messageTs: ref.ts,
          context,
        });
        progress = true;
      } catch (err) {
        imageRefused(err, picture);
        if ((await failed(err, 'group', g.fingerprint, null)) === 'abandoned') return true;
      }
    }
  }

  for (const n of notices) {
    if (!canPost()) break;
    if (!(await alerts.claimPost('notice', n.key, now(), now() + o.claimMs))) continue;
    try {
      const ref = await call(postKey(channel), o.postIntervalMs, () => deps.chat.post(channel, renderNotice(n.text)));
      await alerts.markNoticePosted(n.key, ref.ts, now());
      progress = true;
    } catch (err) {
      if ((await failed(err, 'notice', n.key, null)) === 'abandoned') return true;
    }
  }

  for (const g of existing) {
    const repeats = silencedNow(g) ? 0 : g.count - g.syncedCount;
    // A repeat is an update plus a thread reply; wait until both are allowed so the reply is not lost.
    if (!canUpdate() || (repeats > 0 && !canPost())) continue;
    if (!(await alerts.claimPost('group', g.fingerprint, now(), now() + o.claimMs))) continue;
    let picture: AlertPicture | undefined;
    try {
      const ref = { channel, ts: g.messageTs! };
      picture = await deps.charts?.pictureFor(g.fingerprint, g.count, now());
      await call(UPDATE_KEY, o.updateIntervalMs, () => deps.chat.update(ref, renderAlert(g, now(), picture)));
      if (repeats > 0)
        await call(postKey(channel), o.postIntervalMs, () =>
          deps.chat.post(channel, renderRepeat(g, repeats, now()), { threadTs: g.messageTs! }),
        );
      await alerts.markGroupSynced(g.fingerprint, {
        version: g.version,
        count: silencedNow(g) ? g.syncedCount : g.count,
        shownSilence: g.silencedUntil,
        status: g.status,
        ackedBy: g.ackedBy,
      });
      progress = true;
    } catch (err) {
      imageRefused(err, picture);
      if ((await failed(err, 'group', g.fingerprint, g.messageTs)) === 'abandoned') return true;
      progress = true;
    }
  }
  return progress;
}
