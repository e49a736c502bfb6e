import { randomUUID } from 'node:crypto';
import type { types } from '@slack/bolt';
import type { HomeView } from '../../../core/home.ts';
import { renderActions } from './buttons.ts';
import { renderMessage } from './render.ts';
import { truncate } from './text.ts';

/** Blocks in a Home tab (docs.slack.dev/reference/block-kit/blocks: 100 in modals and Home tabs). */
export const HOME_MAX_BLOCKS = 100;
const BLOCK_ID_MAX = 255;

/** A Home tab as views.publish takes it. */
export interface SlackHomeView {
  type: 'home';
  blocks: types.KnownBlock[];
}

/**
 * Render a neutral Home view as Block Kit within Slack's limits: content blocks through the message
 * renderer (same text limits), button rows as actions blocks, and at most 100 blocks, the last one
 * saying how many were left out.
 */
export function renderHome(view: HomeView, opts: { iteration?: string } = {}): SlackHomeView {
  const iteration = opts.iteration ?? randomUUID().slice(0, 8);
  const all: types.KnownBlock[] = view.blocks.flatMap((b) =>
    b.type === 'actions'
      ? renderActions(b.buttons)
      : // One block at a time, through the message renderer, without its fallback section.
        renderMessage({ text: ' ', blocks: [b] }, { iteration }).blocks.map(
          ({ block_id: _id, ...rest }) => rest as types.KnownBlock,
        ),
  );
  let blocks = all;
  if (all.length > HOME_MAX_BLOCKS) {
    const omitted = all.length - (HOME_MAX_BLOCKS - 1);
    blocks = [
      ...all.slice(0, HOME_MAX_BLOCKS - 1),
      {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `_…${omitted} more blocks not shown: a Home tab holds ${HOME_MAX_BLOCKS}._` },
        ],
      },
    ];
  }
  return {
    type: 'home',
    blocks: blocks.map((b, i) => ({ ...b, block_id: truncate(`home-${i}-${iteration}`, BLOCK_ID_MAX) })),
  };
}
