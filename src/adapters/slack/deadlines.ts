/** Every deadline the Slack transport works to, each with the constraint it comes from. */

/** Slack shows `operation_timeout` unless a slash command or interaction is acked within 3000 ms (PROTOCOLS.md §A2, §A3). */
export const SLACK_ACK_DEADLINE_MS = 3_000;

/**
 * If the dispatcher hasn't produced an ack by now we send an empty one and deliver its ack later
 * through response_url, keeping 500 ms of the 3 s for the network to Slack.
 */
export const ACK_BUDGET_MS = SLACK_ACK_DEADLINE_MS - 500;

/** Bolt answers a request no listener acked after this (HTTPReceiver default 3001 ms, §A8). */
export const BOLT_UNHANDLED_REQUEST_TIMEOUT_MS = 3_001;

/** /healthz must answer well within Heroku's 30 s router timeout; a slow database counts as unhealthy. */
export const HEALTH_CHECK_TIMEOUT_MS = 5_000;
