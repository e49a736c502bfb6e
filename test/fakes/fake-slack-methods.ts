import type { FakeSlackOptions, FakeUsergroup, PublishedHome, StoredMessage } from './fake-slack-api.ts';

/** Web API method answers of the fake Slack (see fake-slack-api.ts); shapes follow Slack's docs examples. */

/** What the method answers read and change. */
export interface MethodState {
  options: FakeSlackOptions;
  messages: Map<string, StoredMessage>;
  usergroups: FakeUsergroup[];
  homeViews: Map<string, PublishedHome>;
  /** Modals (views.open) and the trigger_ids they spend (fake-slack-views.ts). */
  views: import('./fake-slack-views.ts').FakeViews;
  nextTs(): string;
}

const JSON_ARGS = ['blocks', 'attachments', 'metadata', 'view'];
/** Slack's limit on blocks in a Home tab or modal (docs.slack.dev/reference/block-kit/blocks). */
export const VIEW_MAX_BLOCKS = 100;

/** Form or JSON body → args, with `blocks`/`attachments`/`metadata` decoded (web-api JSON-encodes them per field). */
export function parseArgs(contentType: string, raw: string): Record<string, unknown> {
  let args: Record<string, unknown> = {};
  if (contentType.startsWith('application/json')) {
    try {
      args = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      args = {};
    }
  } else {
    for (const [k, v] of new URLSearchParams(raw)) args[k] = v;
  }
  for (const key of JSON_ARGS) {
    const v = args[key];
    if (typeof v !== 'string') continue;
    try {
      args[key] = JSON.parse(v);
    } catch {
      // Left as the raw string: chat.postMessage then answers invalid_blocks_format, as Slack does.
    }
  }
  return args;
}

/** Slack's answer to one authorised call. */
export function answerMethod(
  state: MethodState,
  method: string,
  args: Record<string, unknown>,
): Record<string, unknown> {
  const teamId = state.options.teamId ?? 'T0FAKE001';
  const botUserId = state.options.botUserId ?? 'U0FAKEBOT';
  const channel = typeof args.channel === 'string' ? args.channel : '';
  const text = typeof args.text === 'string' ? args.text : null;
  switch (method) {
    case 'auth.test':
      return {
        ok: true,
        url: 'https://fake.slack.com/',
        team: 'Fake',
        user: 'autorisen',
        team_id: teamId,
        user_id: botUserId,
        bot_id: state.options.botId ?? 'B0FAKEBOT',
        is_enterprise_install: false,
      };
    case 'chat.postMessage': {
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (text === null && args.blocks === undefined && args.attachments === undefined)
        return { ok: false, error: 'no_text' };
      if (args.blocks !== undefined && !Array.isArray(args.blocks))
        return { ok: false, error: 'invalid_blocks_format' };
      const ts = state.nextTs();
      const threadTs = typeof args.thread_ts === 'string' ? args.thread_ts : null;
      state.messages.set(`${channel}/${ts}`, { channel, ts, text, blocks: args.blocks ?? null, threadTs, updates: 0 });
      // Shape of fixtures/slack/chat_postMessage_response.json.
      const message: Record<string, unknown> = {
        text: text ?? '',
        username: 'autorisen',
        bot_id: state.options.botId ?? 'B0FAKEBOT',
        type: 'message',
        subtype: 'bot_message',
        ts,
      };
      if (args.blocks !== undefined) message.blocks = args.blocks;
      if (threadTs) message.thread_ts = threadTs;
      return { ok: true, channel, ts, message };
    }
    case 'chat.update': {
      const ts = typeof args.ts === 'string' ? args.ts : '';
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!ts) return { ok: false, error: 'message_not_found' };
      if (text !== null && text.length > 4000) return { ok: false, error: 'msg_too_long' };
      const key = `${channel}/${ts}`;
      const prev = state.messages.get(key);
      state.messages.set(key, {
        channel,
        ts,
        text,
        blocks: args.blocks ?? null,
        threadTs: prev?.threadTs ?? null,
        updates: (prev?.updates ?? 0) + 1,
      });
      // Shape of fixtures/slack/chat_update_response.json.
      return { ok: true, channel, ts, text: text ?? '', message: { text: text ?? '', user: botUserId } };
    }
    case 'chat.getPermalink': {
      // Shape of Slack's documented example (https://api.slack.com/methods/chat.getPermalink).
      const ts = typeof args.message_ts === 'string' ? args.message_ts : '';
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!state.messages.has(`${channel}/${ts}`)) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel, permalink: `https://fake.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
    }
    case 'chat.postEphemeral':
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (typeof args.user !== 'string' || !args.user) return { ok: false, error: 'user_not_in_channel' };
      return { ok: true, message_ts: state.nextTs() };
    case 'views.publish':
      return publishHome(state, args, teamId);
    case 'views.open':
      return state.views.open(args);
    case 'usergroups.list': {
      const withUsers = args.include_users === true || args.include_users === 'true' || args.include_users === '1';
      return {
        ok: true,
        usergroups: state.usergroups.map((g) => ({
          id: g.id,
          team_id: teamId,
          is_usergroup: true,
          name: g.name,
          description: '',
          handle: g.handle,
          is_external: false,
          date_delete: 0,
          user_count: g.users.length,
          ...(withUsers ? { users: g.users } : {}),
        })),
      };
    }
    default:
      return { ok: false, error: 'unknown_method', req_method: method };
  }
}

/** views.publish (docs.slack.dev/reference/methods/views.publish): a Home tab for `user_id`. */
function publishHome(state: MethodState, args: Record<string, unknown>, teamId: string): Record<string, unknown> {
  const userId = typeof args.user_id === 'string' ? args.user_id : '';
  const view = args.view;
  if (!userId) return { ok: false, error: 'invalid_arguments' };
  if (typeof view !== 'object' || view === null) return { ok: false, error: 'invalid_arguments' };
  const v = view as Record<string, unknown>;
  if (v.type !== 'home') return { ok: false, error: 'invalid_arguments' };
  if (!Array.isArray(v.blocks) || v.blocks.length > VIEW_MAX_BLOCKS) return { ok: false, error: 'invalid_blocks' };
  const prev = state.homeViews.get(userId);
  state.homeViews.set(userId, { view: v, publishes: (prev?.publishes ?? 0) + 1 });
  // Field set of the views.publish response example (and of the view in app_home_opened_event.json).
  return {
    ok: true,
    view: {
      id: 'V0FAKEHOME',
      team_id: teamId,
      type: 'home',
      close: null,
      submit: null,
      blocks: v.blocks,
      private_metadata: typeof v.private_metadata === 'string' ? v.private_metadata : '',
      callback_id: typeof v.callback_id === 'string' ? v.callback_id : '',
      state: { values: {} },
      hash: `${Date.now()}.fake`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: 'V0FAKEHOME',
      previous_view_id: null,
      app_id: 'A0FAKEAPP',
      external_id: '',
      bot_id: state.options.botId ?? 'B0FAKEBOT',
    },
  };
}
