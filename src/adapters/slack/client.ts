// @slack/web-api through Bolt's re-export: it is Bolt's dependency, not ours, so we don't import it directly.
import { webApi } from '@slack/bolt';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import { toSlackLogger } from './slack-logger.ts';

/** Knobs for Web API calls; production defaults are bounded so a stuck Slack can't stall work for minutes. */
export interface SlackClientOptions {
  /** Per-request timeout (ms). */
  timeoutMs?: number;
  /** Retries of network errors and 5xx, with backoff between minRetryDelayMs and maxRetryDelayMs. */
  retries?: number;
  minRetryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How many 429s in a row to wait out, honouring Retry-After. */
  rateLimitRetries?: number;
  /** A Retry-After longer than this (s) fails at once instead of waiting. */
  maxRetryAfterSec?: number;
  /** Injected for tests of the wait; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Default request timeout: well under Heroku's 30 s router timeout for the request that triggered the post. */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;
/** Longest Retry-After we wait out; Slack's 429s for chat.* are typically a few seconds (§A5). */
export const SLACK_MAX_RETRY_AFTER_SEC = 30;

export const DEFAULT_SLACK_CLIENT_OPTIONS: Required<Omit<SlackClientOptions, 'sleep'>> = {
  timeoutMs: SLACK_REQUEST_TIMEOUT_MS,
  retries: 2,
  minRetryDelayMs: 500,
  maxRetryDelayMs: 2_000,
  rateLimitRetries: 3,
  maxRetryAfterSec: SLACK_MAX_RETRY_AFTER_SEC,
};

/**
 * A WebClient pointed at config.slack.apiUrl. 429s are rejected by the SDK (its own wait is
 * unbounded: 10 retries over ~30 min, §A5) and retried by `callSlack` within our bounds.
 */
export function createWebClient(
  config: Pick<Config, 'slack'>,
  log: Logger,
  opts: SlackClientOptions = {},
): webApi.WebClient {
  const o = { ...DEFAULT_SLACK_CLIENT_OPTIONS, ...opts };
  return new webApi.WebClient(config.slack.botToken ?? undefined, {
    slackApiUrl: config.slack.apiUrl,
    logger: toSlackLogger(log, 'slack-web-api'),
    timeout: o.timeoutMs,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: o.retries, minTimeout: o.minRetryDelayMs, maxTimeout: o.maxRetryDelayMs, factor: 2 },
  });
}

/** Run one Web API call, waiting out bounded 429s; every failure becomes AppError('slack_failed'). */
export async function callSlack<T>(method: string, call: () => Promise<T>, opts: SlackClientOptions = {}): Promise<T> {
  const o = { ...DEFAULT_SLACK_CLIENT_OPTIONS, ...opts };
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === webApi.ErrorCode.RateLimitedError) {
        const retryAfter = (err as webApi.WebAPIRateLimitedError).retryAfter;
        if (attempt < o.rateLimitRetries && retryAfter <= o.maxRetryAfterSec) {
          await sleep(retryAfter * 1000);
          continue;
        }
        throw new AppError('slack_failed', `Slack is rate limiting ${method}; try again in ${retryAfter} s.`, {
          cause: err,
          retryAfterSec: retryAfter,
        });
      }
      throw toSlackError(method, err);
    }
  }
}

const HINTS: Record<string, string> = {
  channel_not_found: 'Check the channel id in autorisen.config.yml, and that the bot can see the channel.',
  not_in_channel: 'Invite the bot to the channel (/invite @autorisen) or add the chat:write.public scope.',
  is_archived: 'The channel is archived; pick another channel in autorisen.config.yml.',
  invalid_auth: 'Check SLACK_BOT_TOKEN (it should start with "xoxb-").',
  not_authed: 'Set SLACK_BOT_TOKEN.',
  token_revoked: 'The bot token was revoked; reinstall the app and update SLACK_BOT_TOKEN.',
  account_inactive: 'The bot token belongs to a deactivated app; reinstall it and update SLACK_BOT_TOKEN.',
  missing_scope: 'Add the missing scope in the app settings (see manifest.yml) and reinstall the app.',
  msg_too_long: 'The message is too long for Slack; this is a bug in the bot, please report it.',
  invalid_blocks: 'Slack rejected the message layout; this is a bug in the bot, please report it.',
  message_not_found: 'The message to update no longer exists.',
  cant_update_message: 'Slack no longer lets the bot edit that message.',
};

/** Map any web-api error to AppError('slack_failed') carrying Slack's error string. */
export function toSlackError(method: string, err: unknown): AppError {
  const code = (err as { code?: unknown }).code;
  if (code === webApi.ErrorCode.PlatformError) {
    const slackError = String((err as webApi.WebAPIPlatformError).data.error);
    const hint = HINTS[slackError] ?? 'See the bot logs for details.';
    return new AppError('slack_failed', `Slack refused ${method}: ${slackError}. ${hint}`, { cause: err });
  }
  if (code === webApi.ErrorCode.HTTPError) {
    return new AppError(
      'slack_failed',
      `Slack answered ${method} with HTTP ${(err as webApi.WebAPIHTTPError).statusCode}; it may be having an outage, try again shortly.`,
      { cause: err },
    );
  }
  if (code === webApi.ErrorCode.RequestError) {
    return new AppError(
      'slack_failed',
      `Could not reach Slack for ${method} (network error or timeout); try again shortly.`,
      { cause: err },
    );
  }
  return new AppError('slack_failed', `Slack call ${method} failed; see the bot logs.`, { cause: err });
}
