import type { types } from '@slack/bolt';
import type { ConfirmPrompt } from '../../../core/transport.ts';
import { SLACK_LIMITS } from './limits.ts';
import { truncate } from './text.ts';

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
    title: { type: 'plain_text', text: truncate(p.title, SLACK_LIMITS.modalTitle) },
    submit: { type: 'plain_text', text: truncate(p.submitLabel, SLACK_LIMITS.modalButton) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: truncate(p.text, SLACK_LIMITS.sectionText) } },
      {
        type: 'input',
        block_id: p.blockId,
        label: { type: 'plain_text', text: truncate(p.label, SLACK_LIMITS.inputLabel) },
        element: { type: 'plain_text_input', action_id: p.actionId },
      },
    ],
  };
}
