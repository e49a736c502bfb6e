import { describe, expect, it } from 'vitest';
import { renderMessage, renderResponse } from '../../src/adapters/slack/blocks/render.ts';
import { SLACK_LIMITS } from '../../src/adapters/slack/blocks/limits.ts';
import type { Message } from '../../src/core/message.ts';
import { AppError } from '../../src/errors.ts';

const it1 = { iteration: 'i1' };

describe('renderMessage', () => {
  it('renders every block kind and the buttons', () => {
    const message: Message = {
      text: 'Flag on in production?',
      blocks: [
        { type: 'header', text: 'Turn the flag on in production' },
        { type: 'section', text: '*capecraft* `AUTORISEN_ENABLED` false → true' },
        { type: 'fields', fields: ['*Requested by*\n<@U1>', '*Expires*\nin 30 min'] },
        { type: 'code', text: 'GET /api/autorisen/items' },
        { type: 'divider' },
        { type: 'image', url: 'https://example.com/graph.png', alt: 'error rate' },
        { type: 'context', text: 'approval a1b2' },
      ],
      buttons: [
        { actionId: 'autorisen:approve', label: 'Approve', value: 'a1b2', style: 'primary' },
        {
          actionId: 'autorisen:reject',
          label: 'Reject',
          value: 'a1b2',
          style: 'danger',
          confirm: 'Reject this request?',
        },
      ],
    };
    expect(renderMessage(message, it1)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "block_id": "header-0-i1",
            "text": {
              "emoji": true,
              "text": "Turn the flag on in production",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "block_id": "section-1-i1",
            "text": {
              "text": "*capecraft* \`AUTORISEN_ENABLED\` false → true",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "section-2-i1",
            "fields": [
              {
                "text": "*Requested by*
      <@U1>",
                "type": "mrkdwn",
              },
              {
                "text": "*Expires*
      in 30 min",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "block_id": "section-3-i1",
            "text": {
              "text": "\`\`\`
      GET /api/autorisen/items
      \`\`\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "divider-4-i1",
            "type": "divider",
          },
          {
            "alt_text": "error rate",
            "block_id": "image-5-i1",
            "image_url": "https://example.com/graph.png",
            "type": "image",
          },
          {
            "block_id": "context-6-i1",
            "elements": [
              {
                "text": "approval a1b2",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
          {
            "block_id": "actions-7-i1",
            "elements": [
              {
                "action_id": "autorisen:approve",
                "style": "primary",
                "text": {
                  "emoji": true,
                  "text": "Approve",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "a1b2",
              },
              {
                "action_id": "autorisen:reject",
                "confirm": {
                  "confirm": {
                    "text": "Reject",
                    "type": "plain_text",
                  },
                  "deny": {
                    "text": "Cancel",
                    "type": "plain_text",
                  },
                  "style": "danger",
                  "text": {
                    "text": "Reject this request?",
                    "type": "mrkdwn",
                  },
                  "title": {
                    "text": "Are you sure?",
                    "type": "plain_text",
                  },
                },
                "style": "danger",
                "text": {
                  "emoji": true,
                  "text": "Reject",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "a1b2",
              },
            ],
            "type": "actions",
          },
        ],
        "text": "Flag on in production?",
      }
    `);
  });

  it('turns a text-only message into one section and keeps the fallback text', () => {
    expect(renderMessage({ text: 'Nothing to do: the flag is already on.' }, it1)).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "block_id": "section-0-i1",
            "text": {
              "text": "Nothing to do: the flag is already on.",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "Nothing to do: the flag is already on.",
      }
    `);
  });

  it('maps visibility to response_type and marks replacements', () => {
    const r = renderResponse(
      { text: 'Approved by <@U2>', visibility: 'in_channel' },
      { ...it1, replaceOriginal: true },
    );
    expect(r.response_type).toBe('in_channel');
    expect(r.replace_original).toBe(true);
    expect(renderResponse({ text: 'x' }, it1).response_type).toBe('ephemeral');
  });

  it('uses new block_ids for each iteration', () => {
    const m: Message = { text: 'x', blocks: [{ type: 'section', text: 'a' }, { type: 'divider' }] };
    const a = renderMessage(m, { iteration: 'one' }).blocks.map((b) => b.block_id);
    const b = renderMessage(m, { iteration: 'two' }).blocks.map((b) => b.block_id);
    expect(new Set(a).size).toBe(a.length);
    expect(a.some((id) => b.includes(id))).toBe(false);
    const random = renderMessage(m).blocks[0]!.block_id;
    expect(random).not.toBe(renderMessage(m).blocks[0]!.block_id);
  });
});

describe('Slack limits', () => {
  const sectionTexts = (m: Message) =>
    renderMessage(m, it1).blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));

  it('splits a section over 3000 characters without losing text', () => {
    const line = `${'x'.repeat(99)}\n`;
    const long = line.repeat(70); // 7000 chars
    const texts = sectionTexts({ text: 't', blocks: [{ type: 'section', text: long }] });
    expect(texts.length).toBe(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(texts.join('\n')).toBe(long);
  });

  it('keeps every chunk of long code inside its own fence', () => {
    const texts = sectionTexts({ text: 't', blocks: [{ type: 'code', text: 'y'.repeat(7000) }] });
    expect(texts.length).toBeGreaterThan(2);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect(t.startsWith('```\n') && t.endsWith('\n```')).toBe(true);
    }
  });

  it('caps a message at 50 blocks, keeps the buttons and says how much was left out', () => {
    const blocks = Array.from({ length: 80 }, (_, i) => ({ type: 'section' as const, text: `line ${i}` }));
    const out = renderMessage(
      { text: 't', blocks, buttons: [{ actionId: 'autorisen:approve', label: 'Approve', value: 'a' }] },
      it1,
    ).blocks;
    expect(out.length).toBe(SLACK_LIMITS.blocksPerMessage);
    expect(out.at(-1)!.type).toBe('actions');
    const note = out.at(-2)!;
    expect(note.type === 'context' && JSON.stringify(note.elements)).toContain('32 more blocks not shown');
  });

  it('puts at most 10 fields in a section and cuts long fields', () => {
    const fields = Array.from({ length: 13 }, (_, i) => (i === 0 ? 'f'.repeat(2500) : `f${i}`));
    const out = renderMessage({ text: 't', blocks: [{ type: 'fields', fields }] }, it1).blocks;
    const counts = out.map((b) => (b.type === 'section' ? (b.fields?.length ?? 0) : 0));
    expect(counts).toEqual([10, 3]);
    const first = out[0]!.type === 'section' ? out[0]!.fields![0]!.text : '';
    expect(first.length).toBe(SLACK_LIMITS.fieldText);
    expect(first.endsWith('…')).toBe(true);
  });

  it('cuts button labels to 75 characters and refuses values over 2000', () => {
    const label = 'L'.repeat(100);
    const out = renderMessage({ text: 't', buttons: [{ actionId: 'autorisen:run', label, value: 'v' }] }, it1).blocks;
    const btn = out[1]!.type === 'actions' ? out[1]!.elements[0]! : null;
    expect(btn && btn.type === 'button' ? btn.text.text.length : 0).toBe(SLACK_LIMITS.buttonLabel);
    expect(() =>
      renderMessage({ text: 't', buttons: [{ actionId: 'autorisen:run', label: 'x', value: 'v'.repeat(2001) }] }),
    ).toThrow(AppError);
  });

  it('starts a new actions block after 25 buttons or on a repeated action_id', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({
      actionId: `autorisen:b${i}`,
      label: `b${i}`,
      value: String(i),
    }));
    const actions = renderMessage({ text: 't', buttons: many }, it1).blocks.filter((b) => b.type === 'actions');
    expect(actions.map((a) => (a.type === 'actions' ? a.elements.length : 0))).toEqual([25, 5]);
    const dup = renderMessage({ text: 't', buttons: [many[0]!, many[0]!] }, it1).blocks.filter(
      (b) => b.type === 'actions',
    );
    expect(dup.length).toBe(2);
  });

  it('always sets fallback text within 4000 characters', () => {
    expect(renderMessage({ text: 'z'.repeat(5000) }, it1).text.length).toBe(SLACK_LIMITS.fallbackText);
    expect(renderMessage({ text: '', blocks: [{ type: 'section', text: 'from the block' }] }, it1).text).toBe(
      'from the block',
    );
  });
});
