import { describe, expect, it } from 'vitest';
import { LINE_COLOR, LINE_PALETTE, lineChartPng, panelBox, slotX } from '../../src/adapters/charts/line-chart.ts';
import { sparkline } from '../../src/core/drain/stats.ts';
import { decodePng } from '../support/png-decode.ts';

describe('line chart', () => {
  it('draws each panel as a line with gaps where there is no data, and the change markers through all panels', () => {
    const values = [10, 10, 10, null, null, 50, 50, 50];
    const d = decodePng(
      lineChartPng({ panels: [{ values }, { values: values.map((v) => (v === null ? null : 1)) }], markers: [4] }),
    );
    expect(d.palette).toEqual(LINE_PALETTE);
    expect(d.height).toBe(2 * 10 + 2 * 90 + 12);
    const { top, bottom } = panelBox(0);
    const col = (x: number) => {
      for (let y = top + 1; y <= bottom; y++) if (d.at(x, y) === LINE_COLOR.line) return y;
      return -1;
    };
    expect(col(slotX(6, 8))).toBeLessThan(col(slotX(1, 8)));
    // A gap: nothing drawn between the 3rd and 6th points (away from the marker).
    expect(col(Math.round((slotX(2, 8) + slotX(3, 8)) / 2) + 3)).toBe(-1);
    for (const p of [0, 1]) expect(d.at(slotX(4, 8), panelBox(p).top + 3)).toBe(LINE_COLOR.marker);
  });

  it('sparklines scale between the lowest and highest value, blanks for gaps', () => {
    expect(sparkline([0, 5, 10, null, 10])).toBe('▁▅█ █');
    expect(sparkline([3, 3])).toBe('▁▁');
    expect(sparkline([null])).toBe(' ');
  });
});
