/** What the fake Slack Web API (fake-slack-api.ts) records, and its options. */

/** One Web API call as the fake received it. */
export interface SlackCall {
  method: string;
  /** Form or JSON args; `blocks`, `attachments`, `metadata` decoded from JSON when sent as strings. */
  args: Record<string, unknown>;
  /** Bearer token (or the `token` arg), null when none was sent. */
  token: string | null;
  /** Milliseconds since the epoch when the call arrived. */
  at: number;
  /** What the fake answered: HTTP status and the Slack `error` string, if any. */
  status: number;
  error: string | null;
}

/** One POST to a response_url. */
export interface ResponsePost {
  id: string;
  body: Record<string, unknown>;
  contentType: string | null;
  at: number;
  status: number;
}

/** A message the fake holds, as chat.postMessage / chat.update left it. */
export interface StoredMessage {
  channel: string;
  ts: string;
  text: string | null;
  blocks: unknown;
  threadTs: string | null;
  updates: number;
}

/** A user group as usergroups.list returns it (subset of Slack's documented fields). */
export interface FakeUsergroup {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

/** Per-channel chat.postMessage pacing, against Slack's "1 message per second per channel" (§A5). */
export interface ChannelRate {
  channel: string;
  posts: number;
  /** Most posts seen in any 1000 ms window. */
  maxInOneSecond: number;
  /** maxInOneSecond > 1. */
  exceeded: boolean;
}

/** A user's Home tab as the fake holds it. */
export interface PublishedHome {
  view: Record<string, unknown>;
  publishes: number;
}

/** Answers a method the fake does not know itself (e.g. apps.connections.open for fake-slack-socket.ts). */
export type ExtraMethod = (token: string | null, args: Record<string, unknown>) => Record<string, unknown>;

export type Injection = { kind: 'error'; error: string } | { kind: 'ratelimit'; retryAfterSec: number };

export interface FakeSlackOptions {
  /** When set, other bearer tokens get `invalid_auth`. */
  token?: string;
  botUserId?: string;
  botId?: string;
  teamId?: string;
  usergroups?: FakeUsergroup[];
}
