import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText, truncate } from '../../src/adapters/slack/blocks/text.ts';
import { escapeMrkdwn, link, md, mention, unescapeMrkdwn } from '../../src/core/mrkdwn.ts';
import { plain } from '../../src/dev/render-text.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** A "&…" that is the start of one of our entities but cut before its ";". */
const HALF_ENTITY = /&(a|am|amp|l|lt|g|gt)?$/;
const outside = fc.string({ unit: fc.constantFrom('a', ' ', '&', '<', '>', '!', '😀', '\n', 'é', ';') });

describe('escaping outside text for mrkdwn (issue 9 item 9)', () => {
  it('md escapes every interpolation and keeps bot markup live', () => {
    expect(md`*${'<!here> <b>&'}* by ${mention('UABC123')} ${link('https://x?a=1&b=<2>', 'a|b <c>')}`).toBe(
      '*&lt;!here&gt; &lt;b&gt;&amp;* by <@UABC123> <https://x?a=1&amp;b=&lt;2&gt;|a|b &lt;c&gt;>',
    );
    expect(mention('<!channel>').text).toBe('&lt;!channel&gt;');
  });

  it('escaped text never contains < or >, round-trips, and the shell shows it as typed', () => {
    fc.assert(
      fc.property(outside, (s) => {
        const e = escapeMrkdwn(s);
        expect(e).not.toMatch(/[<>]/);
        expect(unescapeMrkdwn(e)).toBe(s);
      }),
    );
    expect(plain(md`${'<!here> & <@U123>'}`)).toBe('<!here> & <@U123>');
  });
});

describe('cutting text for Slack limits', () => {
  it('truncate never splits a surrogate pair or an escape entity, and stays within max', () => {
    fc.assert(
      fc.property(outside, fc.integer({ min: 2, max: 40 }), (s, max) => {
        const cut = truncate(escapeMrkdwn(s), max);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut).not.toMatch(LONE_SURROGATE);
        if (cut.endsWith('…')) expect(cut.slice(0, -1)).not.toMatch(HALF_ENTITY);
      }),
    );
  });

  it('splitText keeps every chunk within max, whole code points and whole entities, losing nothing but cut newlines', () => {
    fc.assert(
      fc.property(outside, fc.integer({ min: 6, max: 30 }), (s, max) => {
        const text = escapeMrkdwn(s);
        const chunks = splitText(text, max);
        for (const c of chunks) {
          expect(c.length).toBeLessThanOrEqual(max);
          expect(c).not.toMatch(LONE_SURROGATE);
          expect(c).not.toMatch(HALF_ENTITY);
        }
        expect(chunks.join('').replace(/\n/g, '')).toBe(text.replace(/\n/g, ''));
      }),
    );
  });

  it('an emoji title is cut between emoji', () => {
    expect(truncate('😀'.repeat(100), 150)).toBe(`${'😀'.repeat(74)}…`);
  });
});
