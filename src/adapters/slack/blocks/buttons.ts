import type { types } from '@slack/bolt';
import { AppError } from '../../../errors.ts';
import type { Button } from '../../../core/message.ts';
import { SLACK_LIMITS } from './limits.ts';
import { truncate } from './text.ts';

/** One Block Kit button from a transport-neutral Button (labels cut to 75 chars, §A6). */
export function renderButton(button: Button): types.Button {
  // A cut value or action_id would route the click wrongly; that is a bug in the caller, not a display issue.
  if (button.value.length > SLACK_LIMITS.buttonValue) {
    throw new AppError(
      'internal',
      `A button value is ${button.value.length} characters; Slack allows ${SLACK_LIMITS.buttonValue}. Store the data and put its id in the button.`,
    );
  }
  if (button.actionId.length > SLACK_LIMITS.actionId) {
    throw new AppError(
      'internal',
      `A button action_id is longer than Slack's ${SLACK_LIMITS.actionId}-character limit.`,
    );
  }
  const out: types.Button = {
    type: 'button',
    action_id: button.actionId,
    text: { type: 'plain_text', text: truncate(button.label, SLACK_LIMITS.buttonLabel), emoji: true },
    value: button.value,
  };
  if (button.style) out.style = button.style;
  if (button.confirm) {
    out.confirm = {
      title: { type: 'plain_text', text: 'Are you sure?' },
      text: { type: 'mrkdwn', text: truncate(button.confirm, SLACK_LIMITS.confirmText) },
      confirm: { type: 'plain_text', text: truncate(button.label, SLACK_LIMITS.confirmButton) },
      deny: { type: 'plain_text', text: 'Cancel' },
      ...(button.style === 'danger' ? { style: 'danger' as const } : {}),
    };
  }
  return out;
}

/**
 * Actions blocks for the buttons, 25 per block (§A6). Action ids must be unique within a block,
 * so a repeated id moves the button to the next block.
 */
export function renderActions(buttons: readonly Button[]): types.ActionsBlock[] {
  const blocks: types.ActionsBlock[] = [];
  let current: types.Button[] = [];
  let ids = new Set<string>();
  for (const b of buttons) {
    if (current.length === SLACK_LIMITS.actionsPerBlock || ids.has(b.actionId)) {
      blocks.push({ type: 'actions', elements: current });
      current = [];
      ids = new Set();
    }
    current.push(renderButton(b));
    ids.add(b.actionId);
  }
  if (current.length > 0) blocks.push({ type: 'actions', elements: current });
  return blocks;
}
