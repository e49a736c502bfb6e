/**
 * Transport-neutral messages. Commands and services build these; the Slack renderer turns them into
 * Block Kit (adapters/slack/blocks) and the local shell into text with numbered choices.
 */
export type MessageBlock =
  | { type: 'header'; text: string }
  | { type: 'section'; text: string }
  | { type: 'fields'; fields: string[] }
  | { type: 'context'; text: string }
  /** Literal text shown as code (build output, listings): plain, never markup; renderers escape it. */
  | { type: 'code'; text: string }
  | { type: 'divider' }
  | { type: 'image'; url: string; alt: string };

/** A button; `actionId` routes the click, `value` is opaque data (≤ 2000 chars, Slack's limit). */
export interface Button {
  actionId: string;
  label: string;
  value: string;
  style?: 'primary' | 'danger';
  /** When set, Slack asks "are you sure?" with this text before sending the click. */
  confirm?: string;
}

export interface Message {
  /** Plain fallback text: notifications, screen readers, the shell. Always set. */
  text: string;
  blocks?: MessageBlock[];
  buttons?: Button[];
  /** Who sees a reply to a command: only the caller (default) or the whole channel. */
  visibility?: 'ephemeral' | 'in_channel';
}

/** Shorthand for a one-line message. */
export function textMessage(text: string, visibility: Message['visibility'] = 'ephemeral'): Message {
  return { text, visibility };
}
