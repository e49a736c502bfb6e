import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Payloads of the fake Socket Mode server (fake-slack-socket.ts), each made from a real Slack example
 * in test/fixtures/slack/ with only the fields a test varies replaced.
 */

type Json = Record<string, unknown>;

/** A Socket Mode envelope as Slack sends it (docs.slack.dev/apis/events-api/using-socket-mode). */
export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Envelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

/** A fresh trigger_id shaped like Slack's ("37053613634.26768298162.440952c0…"): one per user action. */
export function triggerId(): string {
  const digits = () => String(Math.floor(Math.random() * 1e11)).padStart(11, '1');
  return `${digits()}.${digits()}.${randomBytes(16).toString('hex')}`;
}

/** The slash-command payload of socket_mode_slash_command_envelope.json for `/autorisen <text>`. */
export function slashCommandPayload(
  envelope: Json,
  text: string,
  o: { userId: string; channelId: string; responseUrl: string },
): Json {
  return {
    ...(envelope.payload as Json),
    channel_id: o.channelId,
    user_id: o.userId,
    command: '/autorisen',
    text,
    response_url: o.responseUrl,
    trigger_id: triggerId(),
  };
}

function baseAction(envelope: Json, o: { actionId: string; value: string; userId: string }): Json {
  const payload = envelope.payload as Json;
  const [action] = payload.actions as Json[];
  return {
    ...payload,
    user: { ...(payload.user as Json), id: o.userId },
    trigger_id: triggerId(),
    actions: [{ ...action, action_id: o.actionId, value: o.value, action_ts: `${Date.now() / 1000}` }],
  };
}

/** A block_actions click on a message button (socket_mode_interactive_envelope.json). */
export function interactivePayload(
  envelope: Json,
  o: { actionId: string; value: string; userId: string; channelId: string; messageTs: string; responseUrl: string },
): Json {
  const payload = baseAction(envelope, o);
  return {
    ...payload,
    container: { type: 'message', message_ts: o.messageTs, channel_id: o.channelId, is_ephemeral: false },
    channel: { id: o.channelId, name: 'rollout' },
    message: { ...(payload.message as Json), ts: o.messageTs },
    response_url: o.responseUrl,
  };
}

/**
 * A click in the Home tab: block_actions with `container.type: "view"` and the view, and neither
 * channel, message nor response_url (docs.slack.dev/reference/interaction-payloads/block_actions-payload).
 */
export function homeClickPayload(envelope: Json, o: { actionId: string; value: string; userId: string }): Json {
  const { channel: _c, message: _m, response_url: _r, ...rest } = baseAction(envelope, o);
  return {
    ...rest,
    container: { type: 'view', view_id: 'V0FAKEHOME' },
    view: { id: 'V0FAKEHOME', type: 'home', team_id: (rest.team as Json).id, blocks: [], private_metadata: '' },
  };
}

/** The Events API `event_callback` of events_api_reaction_added.json around `event`. */
export function eventCallback(wrapper: Json, event: Json): Json {
  return { ...wrapper, event, event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}` };
}
