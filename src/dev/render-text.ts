import type { Message, MessageBlock } from '../core/message.ts';
import { unescapeMrkdwn } from '../core/mrkdwn.ts';

/** Slack mrkdwn → plain terminal text: mentions, dates, links and emphasis; escapes (`&lt;`) last, so escaped outside text shows as typed and is never taken for markup. */
export function plain(text: string): string {
  return text
    .replace(/<!date\^\d+\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<@([A-Z0-9]+)(\|[^>]*)?>/g, '@$1')
    .replace(/<#([A-Z0-9]+)\|([^>]*)>/g, '#$2')
    .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/:([a-z0-9_+-]+):/g, (m, name: string) => EMOJI[name] ?? m)
    .replace(/(^|\s)\*([^*\n]+)\*/g, '$1$2')
    .replace(/(^|\s)_([^_\n]+)_/g, '$1$2')
    .replace(/`([^`\n]+)`/g, '$1')
    .replace(/&(lt|gt|amp);/g, (m) => unescapeMrkdwn(m));
}

/**
 * Every emoji code the bot writes, as the terminal shows it: words where the meaning matters (tests
 * and newcomers read them), characters for the rest. test/unit/shell-emoji.test.ts fails when a
 * code used in src/ or commands/ is missing here, so none reaches the shell raw.
 */
export const EMOJI: Readonly<Record<string, string>> = {
  white_check_mark: '[ok]',
  x: '[x]',
  warning: '[!]',
  no_entry: '[denied]',
  no_entry_sign: '[rejected]',
  hourglass: '[waiting]',
  alarm_clock: '[expired]',
  hourglass_flowing_sand: '[...]',
  information_source: '[i]',
  mag: '[dry-run]',
  rotating_light: '[ALERT]',
  arrow_forward: '▶',
  white_small_square: '·',
  heavy_multiplication_x: '✖',
  grey_question: '?',
  octagonal_sign: '[stop]',
  lock: '[locked]',
  unlock: '[unlocked]',
  rewind: '⏪',
  repeat: '↻',
  arrows_counterclockwise: '↻',
  arrow_double_up: '⏫',
  raised_hand: '✋',
  rocket: '🚀',
  package: '📦',
  building_construction: '🏗',
  floppy_disk: '💾',
  stethoscope: '🩺',
  gear: '⚙',
  large_green_circle: '🟢',
  large_orange_circle: '🟠',
  red_circle: '🔴',
  white_circle: '⚪',
  shield: '[guard]',
  pushpin: '📌',
  triangular_flag_on_post: '🚩',
  bell: '[reminder]',
  calendar: '[scheduled]',
  fast_forward: '[skipped]',
  question: '[?]',
};

function block(b: MessageBlock): string {
  switch (b.type) {
    case 'header':
      return `== ${plain(b.text)} ==`;
    case 'section':
      return plain(b.text);
    case 'fields':
      return b.fields.map((f) => plain(f)).join('  |  ');
    case 'context':
      return `  (${plain(b.text)})`;
    case 'code':
      return b.text
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n');
    case 'divider':
      return '----';
    case 'image':
      return `[image: ${b.alt} ${b.url}]`;
  }
}

/** A message as terminal text; buttons are numbered from `firstChoice`. */
export function renderText(message: Message, firstChoice = 1): string {
  const body = message.blocks && message.blocks.length > 0 ? message.blocks.map(block).join('\n') : plain(message.text);
  const buttons = (message.buttons ?? []).map((b, i) => `[${firstChoice + i}] ${b.label}`);
  return buttons.length > 0 ? `${body}\n  choices: ${buttons.join('   ')}` : body;
}
