import { AppError } from '../../errors.ts';

/**
 * Slack answers that retrying can never fix, from the "Errors" tables of chat.update and
 * chat.postMessage (docs.slack.dev/reference/methods/chat.update, …/chat.postMessage). Anything
 * else (5xx, network, 429, unknown codes) stays a retry with backoff.
 */
const MESSAGE_GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);
const CHANNEL_GONE = new Set(['channel_not_found', 'not_in_channel', 'is_archived']);

/** What a permanent failure means for the delivery worker. */
export type PermanentFailure = 'message_gone' | 'channel_gone';

/**
 * Slack's error string of a failed chat call. The Slack adapter throws AppError('slack_failed')
 * whose cause is the Web API platform error, `{ data: { error: "<code>" } }` (PROTOCOLS.md §A);
 * read by shape, so this service needs no Slack import.
 */
export function slackErrorOf(err: unknown): string | null {
  const cause: unknown = err instanceof AppError ? err.cause : err;
  if (typeof cause === 'object' && cause !== null && 'data' in cause) {
    const data: unknown = cause.data;
    if (typeof data === 'object' && data !== null && 'error' in data && typeof data.error === 'string')
      return data.error;
  }
  // The adapter's own wording, for a cause that was not kept.
  const m = err instanceof AppError ? /^Slack refused [\w.]+: ([a-z_]+)\./.exec(err.userMessage) : null;
  return m ? m[1]! : null;
}

/** Classify a failed chat call: a message or channel that is gone for good, or null (retry). */
export function permanentFailure(err: unknown): PermanentFailure | null {
  const code = slackErrorOf(err);
  if (code === null) return null;
  if (MESSAGE_GONE.has(code)) return 'message_gone';
  if (CHANNEL_GONE.has(code)) return 'channel_gone';
  return null;
}
