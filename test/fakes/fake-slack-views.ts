/**
 * Modals on the fake Slack: `views.open` as Slack answers it, and the `view_submission` payload Slack
 * sends when a modal is submitted. Sources (docs.slack.dev): reference/methods/views.open (the
 * response example: the view echoed with id, hash, state, root_view_id…; errors include
 * invalid_arguments — e.g. an input block without `submit` — expired_trigger_id,
 * exchanged_trigger_id, invalid_trigger_id); api.slack.com/docs/triggers (a trigger_id expires after
 * 3 s and may be used once); reference/interaction-payloads/view-interactions-payload
 * (view_submission: type, team, user, api_app_id, token, trigger_id, view with id, callback_id,
 * private_metadata and state.values[block_id][action_id] = { type, value }).
 */

/** Slack: "Triggers expire in three seconds." */
export const TRIGGER_TTL_MS = 3000;
/** Slack's limits on a view: title ≤ 24 chars, ≤ 100 blocks, private_metadata ≤ 3000, callback_id ≤ 255. */
const TITLE_MAX = 24;
const BLOCKS_MAX = 100;
const METADATA_MAX = 3000;
const CALLBACK_MAX = 255;

/** A trigger_id Slack handed out with an interaction (the driver tells the fake, as Slack would know). */
interface Trigger {
  userId: string;
  teamId: string;
  issuedAt: number;
  used: boolean;
}

/** A modal views.open opened, for whom. */
export interface OpenedView {
  view: Record<string, unknown>;
  userId: string;
  teamId: string;
}

export class FakeViews {
  private readonly triggers = new Map<string, Trigger>();
  readonly opened = new Map<string, OpenedView>();
  private seq = 0;

  constructor(
    private readonly botId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Slack issued `triggerId` with an interaction by `userId` (slash command, click). */
  issue(triggerId: string, userId: string, teamId: string): void {
    this.triggers.set(triggerId, { userId, teamId, issuedAt: this.now(), used: false });
  }

  /** views.open: validates like Slack, spends the trigger, and echoes the stored view. */
  open(args: Record<string, unknown>): Record<string, unknown> {
    const triggerId = typeof args.trigger_id === 'string' ? args.trigger_id : '';
    const view = args.view;
    if (!triggerId || typeof view !== 'object' || view === null) return { ok: false, error: 'invalid_arguments' };
    const v = view as Record<string, unknown>;
    if (!validModal(v)) return { ok: false, error: 'invalid_arguments' };
    const t = this.triggers.get(triggerId);
    if (!t) return { ok: false, error: 'invalid_trigger_id' };
    if (t.used) return { ok: false, error: 'exchanged_trigger_id' };
    if (this.now() - t.issuedAt > TRIGGER_TTL_MS) return { ok: false, error: 'expired_trigger_id' };
    t.used = true;
    this.seq += 1;
    const id = `V0FAKE${String(this.seq).padStart(4, '0')}`;
    const stored = {
      id,
      team_id: t.teamId,
      type: 'modal',
      title: v.title,
      submit: v.submit ?? null,
      close: v.close ?? null,
      blocks: v.blocks,
      private_metadata: typeof v.private_metadata === 'string' ? v.private_metadata : '',
      callback_id: typeof v.callback_id === 'string' ? v.callback_id : '',
      external_id: '',
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${this.seq}fake`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      previous_view_id: null,
      app_id: 'A0FAKEAPP',
      bot_id: this.botId,
    };
    this.opened.set(id, { view: stored, userId: t.userId, teamId: t.teamId });
    return { ok: true, view: stored };
  }

  /**
   * The view_submission payload Slack sends when `viewId` is submitted with `values` typed into its
   * plain_text_inputs (block_id → action_id → text), by the user it was opened for unless `userId`.
   */
  submission(viewId: string, values: Record<string, Record<string, string>>, userId?: string): Record<string, unknown> {
    const opened = this.opened.get(viewId);
    if (!opened) throw new Error(`fake Slack: no open view ${viewId}`);
    const state: Record<string, Record<string, { type: string; value: string }>> = {};
    for (const [block, actions] of Object.entries(values))
      for (const [action, value] of Object.entries(actions))
        (state[block] ??= {})[action] = { type: 'plain_text_input', value };
    const user = userId ?? opened.userId;
    return {
      type: 'view_submission',
      team: { id: opened.teamId, domain: 'example' },
      user: { id: user, username: 'someone', name: 'someone', team_id: opened.teamId },
      api_app_id: 'A0FAKEAPP',
      token: 'verification_token',
      trigger_id: `13345224609.${Date.now()}.${viewId.toLowerCase()}`,
      view: { ...opened.view, state: { values: state } },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
  }
}

function validModal(v: Record<string, unknown>): boolean {
  if (v.type !== 'modal') return false;
  const title = v.title as { type?: unknown; text?: unknown } | undefined;
  if (title?.type !== 'plain_text' || typeof title.text !== 'string' || title.text.length > TITLE_MAX) return false;
  if (!Array.isArray(v.blocks) || v.blocks.length > BLOCKS_MAX) return false;
  // "must define submit to use input block" (views.open answers invalid_arguments).
  const hasInput = v.blocks.some((b) => (b as { type?: unknown }).type === 'input');
  if (hasInput && (v.submit as { type?: unknown } | undefined)?.type !== 'plain_text') return false;
  if (typeof v.private_metadata === 'string' && v.private_metadata.length > METADATA_MAX) return false;
  if (typeof v.callback_id === 'string' && v.callback_id.length > CALLBACK_MAX) return false;
  return true;
}
