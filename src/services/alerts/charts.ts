import { createHmac } from 'node:crypto';
import type { Config } from '../../config.ts';
import { ACTIVITY_BUCKET_MS, activityWindow, bucketize, type AlertPicture } from '../../core/alerts/activity.ts';
import type { Logger } from '../../ports/logger.ts';
import type { AlertActivityStore } from '../../ports/stores/alert-activity.ts';

/** Where chart images are served on the bot's HTTP port: `${CHART_PATH}<token>.png`. */
export const CHART_PATH = '/charts/alerts/';
/** A chart token: 128 bits of HMAC-SHA256, hex. Anything else is refused before the store is asked. */
export const CHART_TOKEN = /^[0-9a-f]{32}$/;
/**
 * Slack downloads an image block's URL while accepting chat.postMessage/update and refuses the whole
 * message (`invalid_blocks`, "downloading image failed") when it cannot. After such a refusal,
 * alert messages go out without the image for this long, so a wrong PUBLIC_URL never holds alerts back.
 */
export const IMAGE_PAUSE_MS = 10 * 60_000;

/** Activity charts for alert messages. */
export interface AlertCharts {
  /** What the alert's message shows of its activity at `now`; `count` busts Slack's image cache. */
  pictureFor(fingerprint: string, count: number, now: number): Promise<AlertPicture>;
  /** Slack could not fetch the image of a message: leave images out for IMAGE_PAUSE_MS. */
  imageFailed(now: number): void;
}

/**
 * The key chart tokens are made with. Derived (HMAC with a fixed label) rather than the secret
 * itself, so a token never helps anyone learn the signing secret, and rotating it moves every URL.
 */
export function chartKey(config: Pick<Config, 'charts' | 'slack'>): Buffer | null {
  const secret = config.charts.secret ?? config.slack.signingSecret;
  return secret ? createHmac('sha256', secret).update('autorisen-bot alert activity charts v1').digest() : null;
}

/** The unguessable name of a fingerprint's chart: the fingerprint itself never appears in the URL. */
export function chartToken(key: Buffer, fingerprint: string): string {
  return createHmac('sha256', key).update(fingerprint).digest('hex').slice(0, 32);
}

/** The chart image path for a token (no host). */
export function chartPath(token: string): string {
  return `${CHART_PATH}${token}.png`;
}

export interface AlertChartsDeps {
  activity: AlertActivityStore;
  config: Pick<Config, 'charts' | 'slack'>;
  log: Logger;
}

/** Charts from the store; images only when PUBLIC_URL and a key are configured. */
export function createAlertCharts(deps: AlertChartsDeps): AlertCharts {
  const key = chartKey(deps.config);
  const base = deps.config.charts.publicUrl;
  let pausedUntil = -Infinity;
  return {
    async pictureFor(fingerprint, count, now) {
      const rows = await deps.activity.occurrences(fingerprint, activityWindow(now).start);
      const activity = bucketize(rows, now);
      if (!base || !key || now < pausedUntil) return { activity, imageUrl: null };
      const token = chartToken(key, fingerprint);
      await deps.activity.linkChart(token, fingerprint, now);
      // The query changes with every new occurrence and every new bucket, so Slack fetches the
      // image again when the message is updated instead of showing the copy it cached.
      return { activity, imageUrl: `${base}${chartPath(token)}?v=${count}.${Math.floor(now / ACTIVITY_BUCKET_MS)}` };
    },
    imageFailed(now) {
      if (now < pausedUntil) return;
      pausedUntil = now + IMAGE_PAUSE_MS;
      deps.log.warn(
        { publicUrl: base, pauseMinutes: IMAGE_PAUSE_MS / 60_000 },
        "Slack could not download the alert activity chart; alerts are posted without it for a while. Check PUBLIC_URL is the bot's public https address and /charts/alerts/ is reachable from the internet.",
      );
    },
  };
}
