import { randomUUID } from 'node:crypto';
import type { types } from '@slack/bolt';
import type { Message, MessageBlock } from '../../../core/message.ts';
import { renderActions } from './buttons.ts';
import { SLACK_LIMITS } from './limits.ts';
import { splitText, truncate } from './text.ts';
import { escapeMrkdwn } from '../../../core/mrkdwn.ts';

/** A message as Slack's chat.* methods and response_url take it. */
export interface SlackMessage {
  /** Fallback for notifications and screen readers; always set (§A5: best ≤ 4000 chars). */
  text: string;
  blocks: types.KnownBlock[];
}

/** A response_url / ack body. */
export interface SlackResponse extends SlackMessage {
  response_type: 'ephemeral' | 'in_channel';
  replace_original?: boolean;
}

export interface RenderOptions {
  /**
   * Distinguishes this rendering from earlier ones of the same message: block_ids must change on
   * every iteration (§A3/§A6) or Slack clients keep stale state. Random by default; tests fix it.
   */
  iteration?: string;
}

/** Render a transport-neutral Message as Block Kit within Slack's limits (§A6). */
export function renderMessage(message: Message, opts: RenderOptions = {}): SlackMessage {
  const iteration = opts.iteration ?? randomUUID().slice(0, 8);
  const source: MessageBlock[] =
    message.blocks && message.blocks.length > 0 ? message.blocks : [{ type: 'section', text: message.text }];
  const content = source.flatMap(renderBlock);
  const actions = message.buttons && message.buttons.length > 0 ? renderActions(message.buttons) : [];

  // Buttons are never dropped (an approval without its buttons is useless); content gives way.
  const room = SLACK_LIMITS.blocksPerMessage - actions.length;
  let kept = content;
  if (content.length > room) {
    const omitted = content.length - (room - 1);
    kept = [
      ...content.slice(0, room - 1),
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `_…${omitted} more block${omitted === 1 ? '' : 's'} not shown: Slack shows at most ${SLACK_LIMITS.blocksPerMessage} per message._`,
          },
        ],
      },
    ];
  }
  const blocks = [...kept, ...actions].map((b, i) => ({
    ...b,
    block_id: truncate(`${b.type}-${i}-${iteration}`, SLACK_LIMITS.blockId),
  }));
  return { text: fallbackText(message), blocks };
}

/** Render as a reply body: visibility becomes response_type; optionally replace the original message. */
export function renderResponse(
  message: Message,
  opts: RenderOptions & { replaceOriginal?: boolean } = {},
): SlackResponse {
  const out: SlackResponse = { ...renderMessage(message, opts), response_type: message.visibility ?? 'ephemeral' };
  if (opts.replaceOriginal) out.replace_original = true;
  return out;
}

function renderBlock(block: MessageBlock): types.KnownBlock[] {
  switch (block.type) {
    case 'header':
      return block.text.trim()
        ? [
            {
              type: 'header',
              text: { type: 'plain_text', text: truncate(block.text, SLACK_LIMITS.headerText), emoji: true },
            },
          ]
        : [];
    case 'section':
      return block.text.trim() ? splitText(block.text, SLACK_LIMITS.sectionText).map(section) : [];
    case 'code': {
      // A code block is literal text (build output, audit rows, spec findings), never bot markup:
      // escaped here, once, so no caller can forget (Slack still parses <!here> inside a fence).
      // Each chunk gets its own fence so every section renders as code.
      const fence = '```';
      const room = SLACK_LIMITS.sectionText - 2 * (fence.length + 1);
      return splitText(escapeMrkdwn(block.text) || ' ', room).map((chunk) => section(`${fence}\n${chunk}\n${fence}`));
    }
    case 'fields': {
      const out: types.KnownBlock[] = [];
      for (let i = 0; i < block.fields.length; i += SLACK_LIMITS.fieldsPerSection) {
        const fields = block.fields
          .slice(i, i + SLACK_LIMITS.fieldsPerSection)
          .map((f) => ({ type: 'mrkdwn' as const, text: truncate(f, SLACK_LIMITS.fieldText) || '-' }));
        out.push({ type: 'section', fields });
      }
      return out;
    }
    case 'context':
      return block.text.trim()
        ? [{ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(block.text, SLACK_LIMITS.contextText) }] }]
        : [];
    case 'divider':
      return [{ type: 'divider' }];
    case 'image':
      return [
        {
          type: 'image',
          image_url: block.url.slice(0, SLACK_LIMITS.imageUrl),
          alt_text: truncate(block.alt || 'image', SLACK_LIMITS.imageAlt),
        },
      ];
  }
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function fallbackText(message: Message): string {
  const text = message.text.trim() ? message.text : firstText(message.blocks ?? []) || 'Message from autorisen';
  return truncate(text, SLACK_LIMITS.fallbackText);
}

function firstText(blocks: readonly MessageBlock[]): string {
  for (const b of blocks) if ('text' in b && b.text.trim()) return b.text;
  return '';
}
