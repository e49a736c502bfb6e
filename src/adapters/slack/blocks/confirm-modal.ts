import type { types } from '@slack/bolt';
import type { ConfirmPrompt } from '../../../core/transport.ts';

/** Slack's limits on a modal (docs.slack.dev/reference/views/modal-views; section text, Block Kit). */
const TITLE_MAX = 24;
const BUTTON_MAX = 24;
const SECTION_TEXT_MAX = 3000;
const LABEL_MAX = 2000;

const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/**
 * A typed confirmation as a modal (views.open): what is confirmed, then one plain_text_input. Slack
 * requires `submit` on a modal with an input block (views.open answers invalid_arguments otherwise).
 * `private_metadata` carries only the stored request's id; the bot reads the rest from its store.
 */
export function confirmModal(p: ConfirmPrompt): types.ModalView {
  return {
    type: 'modal',
    callback_id: p.callbackId,
    private_metadata: p.privateMetadata,
    title: { type: 'plain_text', text: cut(p.title, TITLE_MAX) },
    submit: { type: 'plain_text', text: cut(p.submitLabel, BUTTON_MAX) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: cut(p.text, SECTION_TEXT_MAX) } },
      {
        type: 'input',
        block_id: p.blockId,
        label: { type: 'plain_text', text: cut(p.label, LABEL_MAX) },
        element: { type: 'plain_text_input', action_id: p.actionId },
      },
    ],
  };
}
