import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeSlackApi } from './fake-slack-api.ts';
import {
  homeClickPayload,
  interactivePayload,
  slashCommandPayload,
  eventCallback,
  type Envelope,
  type EnvelopeType,
} from './fake-slack-socket-payloads.ts';

/**
 * A fake of Slack's Socket Mode (docs.slack.dev/apis/events-api/using-socket-mode) on 127.0.0.1:
 * the fake Web API's `apps.connections.open` (app-level token only) hands out a one-use
 * `ws://…/link/?ticket=…` URL; on connect the server sends `hello`; it sends envelopes
 * `{envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason}` and waits for
 * the app's `{envelope_id, payload?}`; `disconnect()` sends `{"type":"disconnect",…}`. Like Slack, an
 * envelope not acked when its connection closes is delivered again (retry_attempt + 1) on the next one.
 */

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

export type { Envelope, EnvelopeType } from './fake-slack-socket-payloads.ts';

/** An ack as the fake received it. */
export interface Ack {
  envelopeId: string;
  payload: unknown;
  /** Which connection (1-based, in order of opening) carried it. */
  connection: number;
}

/** One delivery of an envelope (a redelivery is another row with the same envelope_id). */
export interface Delivery {
  envelope: Envelope;
  connection: number;
}

interface Connection {
  id: number;
  ws: WebSocket;
  /** A disconnect was sent: nothing new is delivered on it. */
  draining: boolean;
  closed: boolean;
}

export interface FakeSlackSocketOptions {
  /** The fake Web API that answers apps.connections.open. */
  slack: FakeSlackApi;
  /** The app-level token (`xapp-…`) apps.connections.open accepts. */
  appToken: string;
  appId?: string;
}

/**
 * retry_reason of a redelivered envelope. Slack documents Events API reasons (PROTOCOLS.md §A4), not
 * Socket Mode's; a Socket Mode retry seen in the wild carried this one (slackapi/bolt-python#1484).
 */
export const REDELIVERY_REASON = 'http_timeout';

export class FakeSlackSocket {
  readonly acks: Ack[] = [];
  /** Acks the app sent for envelopes sent with `loseAck`: dropped, as if the connection died first. */
  readonly lostAcks: Ack[] = [];
  readonly deliveries: Delivery[] = [];
  /** Successful apps.connections.open calls. */
  opens = 0;
  private readonly connections: Connection[] = [];
  private readonly tickets = new Set<string>();
  private readonly unacked = new Map<string, { envelope: Envelope; connection: number }>();
  private readonly queue: Envelope[] = [];
  private readonly loseAckOf = new Set<string>();
  private readonly events = new EventEmitter();
  private readonly wss: WebSocketServer;

  private constructor(private readonly opts: FakeSlackSocketOptions) {
    this.events.setMaxListeners(100);
    this.wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      verifyClient: (info, cb) => {
        const ticket = new URL(info.req.url ?? '/', 'ws://x').searchParams.get('ticket') ?? '';
        // A ticket opens one connection only, as Slack's do.
        if (!this.tickets.delete(ticket)) return cb(false, 401, 'invalid ticket');
        cb(true);
      },
    });
    this.wss.on('connection', (ws) => this.onConnection(ws));
  }

  static async start(opts: FakeSlackSocketOptions): Promise<FakeSlackSocket> {
    const fake = new FakeSlackSocket(opts);
    await new Promise<void>((resolve) => fake.wss.once('listening', () => resolve()));
    opts.slack.addMethod('apps.connections.open', (token) => fake.open(token));
    return fake;
  }

  get port(): number {
    return (this.wss.address() as AddressInfo).port;
  }

  /** Connections opened so far (a reconnect adds one). */
  get connectionCount(): number {
    return this.connections.length;
  }

  /** Envelopes delivered and not yet acked. */
  get unackedIds(): string[] {
    return [...this.unacked.keys()];
  }

  /** `/autorisen <text>` as `userId` in `channelId`; resolves with the app's ack. */
  slashCommand(
    text: string,
    o: { userId: string; channelId: string; responseUrl: string; loseAck?: boolean },
  ): Promise<Ack> {
    return this.send(
      'slash_commands',
      slashCommandPayload(fixture('socket_mode_slash_command_envelope.json'), text, o),
      o,
    );
  }

  /** A click on a message button (block_actions). */
  click(o: {
    actionId: string;
    value: string;
    userId: string;
    channelId: string;
    messageTs: string;
    responseUrl: string;
    loseAck?: boolean;
  }): Promise<Ack> {
    return this.send('interactive', interactivePayload(fixture('socket_mode_interactive_envelope.json'), o), o);
  }

  /** A click on a button in the user's Home tab: no channel, no message, no response_url. */
  homeClick(o: { actionId: string; value: string; userId: string; loseAck?: boolean }): Promise<Ack> {
    return this.send('interactive', homeClickPayload(fixture('socket_mode_interactive_envelope.json'), o), o);
  }

  /** The user opened the app's Home tab. */
  homeOpened(userId: string, o: { loseAck?: boolean } = {}): Promise<Ack> {
    const event = { ...fixture('app_home_opened_event.json'), user: userId };
    return this.send('events_api', eventCallback(fixture('events_api_reaction_added.json'), event), o);
  }

  /**
   * Send an envelope and resolve with its ack. `loseAck`: the first ack of it is dropped, as if it
   * was lost with a dying connection, so it stays unacked and is redelivered after the next reconnect.
   */
  send(type: EnvelopeType, payload: Record<string, unknown>, o: { loseAck?: boolean } = {}): Promise<Ack> {
    const envelope: Envelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      retry_attempt: 0,
      retry_reason: '',
    };
    if (o.loseAck) this.loseAckOf.add(envelope.envelope_id);
    const acked = this.waitForAck(envelope.envelope_id);
    this.deliver(envelope);
    return acked;
  }

  /** Resolve with the (kept) ack of `envelopeId`. */
  waitForAck(envelopeId: string, timeoutMs = 10_000): Promise<Ack> {
    return this.waitFor(() => this.acks.find((a) => a.envelopeId === envelopeId), timeoutMs, `ack of ${envelopeId}`);
  }

  /** Resolve once `n` acks have been sent and lost (see `loseAck`). */
  waitForLostAcks(n: number, timeoutMs = 10_000): Promise<Ack[]> {
    return this.waitFor(() => (this.lostAcks.length >= n ? this.lostAcks : undefined), timeoutMs, `${n} lost ack(s)`);
  }

  /** Resolve once `n` connections have been opened and greeted. */
  waitForConnections(n: number, timeoutMs = 10_000): Promise<number> {
    return this.waitFor(
      () => (this.connections.filter((c) => !c.closed).length > 0 && this.connections.length >= n ? n : undefined),
      timeoutMs,
      `${n} connection(s)`,
    );
  }

  /** Tell the app to go away (Slack sends this before refreshing a connection, every few hours). */
  disconnect(reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested'): void {
    const message = { ...fixture('socket_mode_disconnect_refresh.json'), reason };
    for (const c of this.connections) {
      if (c.closed || c.draining) continue;
      c.draining = true;
      c.ws.send(JSON.stringify(message));
    }
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private open(token: string | null): Record<string, unknown> {
    if (token === null) return { ok: false, error: 'not_authed' };
    if (!token.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
    if (token !== this.opts.appToken) return { ok: false, error: 'invalid_auth' };
    const ticket = randomBytes(12).toString('hex');
    this.tickets.add(ticket);
    this.opens += 1;
    return { ok: true, url: `ws://127.0.0.1:${this.port}/link/?ticket=${ticket}&app_id=${this.appId}` };
  }

  private get appId(): string {
    return this.opts.appId ?? 'A0469A3MM9D';
  }

  private onConnection(ws: WebSocket): void {
    const conn: Connection = { id: this.connections.length + 1, ws, draining: false, closed: false };
    this.connections.push(conn);
    const live = this.connections.filter((c) => !c.closed).length;
    const hello = fixture('socket_mode_hello.json');
    ws.send(JSON.stringify({ ...hello, num_connections: live, connection_info: { app_id: this.appId } }));
    ws.on('message', (data) => this.onFrame(conn, String(data)));
    ws.on('close', () => this.onClose(conn));
    // Envelopes that waited for a connection (or were not acked on the last one) go out now.
    for (const envelope of this.queue.splice(0)) this.deliver(envelope);
    this.events.emit('change');
  }

  private onFrame(conn: Connection, raw: string): void {
    let frame: { envelope_id?: unknown; payload?: unknown };
    try {
      frame = JSON.parse(raw) as typeof frame;
    } catch {
      return;
    }
    if (typeof frame.envelope_id !== 'string') return;
    const id = frame.envelope_id;
    if (this.loseAckOf.delete(id)) {
      this.lostAcks.push({ envelopeId: id, payload: frame.payload, connection: conn.id });
      this.events.emit('change');
      return;
    }
    if (!this.unacked.delete(id)) return;
    this.acks.push({ envelopeId: id, payload: frame.payload, connection: conn.id });
    this.events.emit('change');
  }

  private onClose(conn: Connection): void {
    conn.closed = true;
    // Unacked envelopes of the closed connection are retried on the next one.
    for (const [id, entry] of this.unacked) {
      if (entry.connection !== conn.id) continue;
      this.unacked.delete(id);
      const retry = entry.envelope.retry_attempt + 1;
      this.queue.push({ ...entry.envelope, retry_attempt: retry, retry_reason: REDELIVERY_REASON });
    }
    this.events.emit('change');
  }

  private deliver(envelope: Envelope): void {
    const conn = [...this.connections].reverse().find((c) => !c.closed && !c.draining);
    if (!conn) {
      this.queue.push(envelope);
      return;
    }
    this.unacked.set(envelope.envelope_id, { envelope, connection: conn.id });
    this.deliveries.push({ envelope, connection: conn.id });
    conn.ws.send(JSON.stringify(envelope));
  }

  private waitFor<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onChange = () => {
        const found = check();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Slack socket: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('change', onChange);
      };
      this.events.on('change', onChange);
      onChange();
    });
  }
}
