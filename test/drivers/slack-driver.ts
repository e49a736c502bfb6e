import { createHmac, randomUUID } from 'node:crypto';

/**
 * Sends what Slack sends: signed `application/x-www-form-urlencoded` POSTs (PROTOCOLS.md §A1–A3).
 * Bolt parses the body as a form only when the content type is exactly that value, so no charset.
 */

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`, keyed by the signing secret as UTF-8. */
export function signSlackRequest(signingSecret: string, timestamp: string | number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** How to sign one request; defaults produce a valid, fresh signature. */
export interface SignOptions {
  /** 'wrong' signs with another secret; 'missing' sends no signature headers. */
  signature?: 'valid' | 'wrong' | 'missing';
  /** Seconds added to now for X-Slack-Request-Timestamp (e.g. -301 for a stale request). */
  timestampOffsetSec?: number;
  /** Extra request headers, e.g. Slack's `X-Slack-Retry-Num` / `X-Slack-Retry-Reason` on a redelivery. */
  headers?: Record<string, string>;
}

export interface CommandOptions extends SignOptions {
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  command?: string;
  /** The response_url's sink id; a fresh one by default. */
  responseId?: string;
  /** Slack's trigger_id, unique per invocation (a fresh one by default; reuse it to model a redelivery). */
  triggerId?: string;
}

export interface ClickOptions extends SignOptions {
  actionId: string;
  value: string;
  userId?: string;
  channelId?: string;
  messageTs?: string;
  blockId?: string;
  responseId?: string;
}

/** What came back from the transport. */
export interface DriverResponse {
  status: number;
  body: string;
  /** The body parsed as JSON, or null when it was empty or not JSON. */
  json: unknown;
  /** Milliseconds from sending to the complete response (for benchmarks, never for test assertions). */
  elapsedMs: number;
  /** The response_url sent with the request, and its sink id on the fake Slack. */
  responseUrl: string;
  responseId: string;
}

export interface SlackDriverOptions {
  /** Transport base URL, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  signingSecret: string;
  /** Base of the fake Slack's response_url sink (FakeSlackApi.url); `/response/<id>` is appended. */
  responseBase: string;
  /** Defaults to `/slack/events`. */
  path?: string;
  teamId?: string;
  /** Told of each trigger_id a command carries (the fake Slack's views.open accepts only those it issued). */
  onTrigger?: (triggerId: string, userId: string, teamId: string) => void;
}

/** Build, sign and POST slash commands and button clicks to a running transport. */
export class SlackDriver {
  private seq = 0;
  constructor(private readonly opts: SlackDriverOptions) {}

  /** `/autorisen <text>` as user U (default U2147483697) in channel C (default C2147483705). */
  async command(text: string, o: CommandOptions = {}): Promise<DriverResponse> {
    const responseId = o.responseId ?? this.nextId('cmd');
    const responseUrl = this.responseUrl(responseId);
    const triggerId = o.triggerId ?? this.triggerId();
    this.opts.onTrigger?.(triggerId, o.userId ?? 'U2147483697', this.opts.teamId ?? 'T0001');
    // Field order and values follow fixtures/slack/slash_command_weather.form.txt (Slack's docs example).
    const form = new URLSearchParams({
      token: 'gIkuvaNzQIHg97ATvDxqgjtO',
      team_id: this.opts.teamId ?? 'T0001',
      team_domain: 'example',
      channel_id: o.channelId ?? 'C2147483705',
      channel_name: o.channelName ?? 'test',
      user_id: o.userId ?? 'U2147483697',
      user_name: o.userName ?? 'Steve',
      command: o.command ?? '/autorisen',
      text,
      response_url: responseUrl,
      // Same shape as the fixture's 13345224609.738474920.8088930838d88f008e0, unique per command as Slack's is.
      trigger_id: triggerId,
      api_app_id: 'A123456',
    });
    return { ...(await this.post(form.toString(), o)), responseUrl, responseId };
  }

  /** A fresh trigger_id shaped like Slack's: `<digits>.<digits>.<32 hex>`. */
  triggerId(): string {
    this.seq += 1;
    return `13345224609.${738474920 + this.seq}.${randomUUID().replaceAll('-', '')}`;
  }

  /** A `block_actions` click on a button, shaped like fixtures/slack/block_actions_bolt_python_test.json. */
  async click(o: ClickOptions): Promise<DriverResponse> {
    const responseId = o.responseId ?? this.nextId('act');
    const responseUrl = this.responseUrl(responseId);
    const userId = o.userId ?? 'W111';
    const channelId = o.channelId ?? 'C111';
    const teamId = this.opts.teamId ?? 'T111';
    const payload = {
      type: 'block_actions',
      user: { id: userId, username: 'primary-owner', name: 'primary-owner', team_id: teamId },
      api_app_id: 'A111',
      token: 'verification_token',
      container: { type: 'message', message_ts: o.messageTs ?? '111.222', channel_id: channelId, is_ephemeral: false },
      trigger_id: '111.222.valid',
      team: { id: teamId, domain: 'workspace-domain' },
      channel: { id: channelId, name: 'test-channel' },
      message: { type: 'message', ts: o.messageTs ?? '111.222', text: '' },
      response_url: responseUrl,
      actions: [
        {
          action_id: o.actionId,
          block_id: o.blockId ?? 'b',
          text: { type: 'plain_text', text: 'Button', emoji: true },
          value: o.value,
          type: 'button',
          action_ts: '1596530385.194939',
        },
      ],
    };
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return { ...(await this.post(body, o)), responseUrl, responseId };
  }

  /** Any interaction payload (a view_submission the fake Slack built), form-encoded and signed as Slack sends it. */
  async interaction(
    payload: Record<string, unknown>,
    o: SignOptions = {},
  ): Promise<Omit<DriverResponse, 'responseUrl' | 'responseId'>> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), o);
  }

  /** An Events API delivery (`event_callback` JSON, PROTOCOLS.md §A4), signed like every request. */
  async event(
    callback: Record<string, unknown>,
    o: SignOptions = {},
  ): Promise<Omit<DriverResponse, 'responseUrl' | 'responseId'>> {
    return this.post(JSON.stringify(callback), o, 'application/json');
  }

  /** POST any raw form body, signed per `o`. */
  async post(
    rawBody: string,
    o: SignOptions = {},
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<Omit<DriverResponse, 'responseUrl' | 'responseId'>> {
    const ts = Math.floor(Date.now() / 1000) + (o.timestampOffsetSec ?? 0);
    const headers: Record<string, string> = { 'content-type': contentType, ...o.headers };
    if (o.signature !== 'missing') {
      const secret = o.signature === 'wrong' ? `${this.opts.signingSecret}-wrong` : this.opts.signingSecret;
      headers['x-slack-request-timestamp'] = String(ts);
      headers['x-slack-signature'] = signSlackRequest(secret, ts, rawBody);
    }
    const started = performance.now();
    const res = await fetch(this.opts.baseUrl.replace(/\/+$/, '') + (this.opts.path ?? '/slack/events'), {
      method: 'POST',
      headers,
      body: rawBody,
    });
    const body = await res.text();
    const elapsedMs = performance.now() - started;
    let json: unknown = null;
    try {
      json = body ? JSON.parse(body) : null;
    } catch {
      json = null;
    }
    return { status: res.status, body, json, elapsedMs };
  }

  private responseUrl(id: string): string {
    return `${this.opts.responseBase.replace(/\/+$/, '')}/response/${encodeURIComponent(id)}`;
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${this.seq}-${randomUUID().slice(0, 8)}`;
  }
}
