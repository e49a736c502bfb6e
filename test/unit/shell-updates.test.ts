import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/core/message.ts';
import { UpdatedMessages } from '../../src/dev/updated-messages.ts';

/** A run's root as the workflow writes it: headline, step marks, context. */
function root(state: 'running' | 'waiting' | 'done', step: number): Message {
  const marks = ['CI', 'Deploy', 'Bake'].map((title, i) =>
    i < step || state === 'done'
      ? `:white_check_mark: ${title}`
      : i > step
        ? `:white_small_square: ${title}`
        : `${state === 'waiting' ? ':hourglass:' : ':arrow_forward:'} ${title}`,
  );
  const head =
    state === 'done'
      ? ':white_check_mark: Release: done.'
      : `:hourglass_flowing_sand: Release: ${state} (step ${step + 1} of 3).`;
  return {
    text: head,
    blocks: [
      { type: 'section', text: head },
      { type: 'section', text: marks.join('\n') },
    ],
  };
}

describe('a message updated in place, in the shell (issue 19 item 6)', () => {
  it('whole first, one line per change, nothing for a state seen before, whole when final', () => {
    const u = new UpdatedMessages();
    expect(u.change('C 1', root('running', 0))).toBe('whole');
    expect(u.change('C 1', root('running', 1))).toBe('[ok] CI · ▶ Deploy');
    expect(u.change('C 1', root('running', 2))).toBe('[ok] Deploy · ▶ Bake');
    expect(u.change('C 1', root('waiting', 2))).toBe('[waiting] Bake');
    for (let tick = 0; tick < 5; tick++) {
      expect(u.change('C 1', root('running', 2))).toBeNull();
      expect(u.change('C 1', root('waiting', 2))).toBeNull();
    }
    expect(u.change('C 1', root('done', 2))).toBe('whole');
    expect(u.change('C 1', root('done', 2))).toBeNull();
  });

  it('a headline-only change is that one line; buttons are always shown whole (they get numbers)', () => {
    const u = new UpdatedMessages();
    const at = (t: string): Message => ({ text: `:hourglass_flowing_sand: ${t}` });
    expect(u.change('C 2', at('Comparing (fetching specs)…'))).toBe('whole');
    expect(u.change('C 2', at('Comparing (comparing 2 KB with 3 KB)…'))).toBe(
      '[...] Comparing (comparing 2 KB with 3 KB)…',
    );
    const buttons = [{ actionId: 'a', label: 'Retry', value: 'r' }];
    expect(u.change('C 2', { text: ':x: failed', buttons })).toBe('whole');
    expect(u.change('C 2', { text: ':x: failed', buttons })).toBe('whole');
  });
});
