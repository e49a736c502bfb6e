import { describe, expect, it } from 'vitest';
import {
  barChartPng,
  CHART_COLOR,
  CHART_PALETTE,
  chartLayout,
  DEFAULT_CHART_OPTIONS,
  drawBarChart,
} from '../../src/adapters/charts/bar-chart.ts';
import { crc32, encodePng } from '../../src/adapters/charts/png.ts';
import { bitwiseCrc32, decodePng } from '../support/png-decode.ts';

describe('PNG encoder', () => {
  it('computes the CRC-32 PNG uses (check value of "123456789")', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(bitwiseCrc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes a valid palette PNG: signature, IHDR/PLTE/IDAT/IEND with good CRCs, pixels round-trip', () => {
    const pixels = Uint8Array.from({ length: 7 * 3 }, (_, i) => i % 3);
    const png = encodePng({
      width: 7,
      height: 3,
      palette: [
        [255, 0, 0],
        [0, 255, 0],
        [0, 0, 255],
      ],
      pixels,
    });
    const d = decodePng(png);
    expect(d.chunkTypes).toEqual(['IHDR', 'PLTE', 'IDAT', 'IEND']);
    expect([d.width, d.height]).toEqual([7, 3]);
    expect(d.palette).toEqual([
      [255, 0, 0],
      [0, 255, 0],
      [0, 0, 255],
    ]);
    expect([...d.pixels]).toEqual([...pixels]);
    expect(d.rgb(1, 0)).toEqual([0, 255, 0]);
  });

  it('refuses inconsistent input rather than writing a broken file', () => {
    expect(() => encodePng({ width: 2, height: 2, palette: [[0, 0, 0]], pixels: new Uint8Array(3) })).toThrow(
      /expected 4 pixels/,
    );
    expect(() => encodePng({ width: 0, height: 2, palette: [[0, 0, 0]], pixels: new Uint8Array(0) })).toThrow(
      /positive/,
    );
    expect(() => encodePng({ width: 1, height: 1, palette: [], pixels: new Uint8Array(1) })).toThrow(/palette/);
  });
});

describe('bar chart', () => {
  const { width, height } = DEFAULT_CHART_OPTIONS;
  /** A quiet start, a spike, calming down, and one event now. */
  const values = [0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 12, 6, 3, 0, 0, 2, 1];

  it('is a 600×160 PNG in the chart palette', () => {
    const d = decodePng(barChartPng(values));
    expect([d.width, d.height]).toEqual([width, height]);
    expect(d.palette).toEqual(CHART_PALETTE);
    expect(d.rgb(0, 0)).toEqual([255, 255, 255]);
  });

  it('puts each bar where the layout says, as tall as its share of the peak', () => {
    const d = decodePng(barChartPng(values));
    const { bars, baselineY, peakY } = chartLayout(values);
    expect(bars).toHaveLength(24);
    const spike = bars[16]!;
    expect(spike.y).toBe(peakY); // the peak reaches the top of the plot
    const mid = spike.x + Math.floor(spike.w / 2);
    expect(d.at(mid, spike.y)).toBe(CHART_COLOR.bar);
    expect(d.at(mid, baselineY - 1)).toBe(CHART_COLOR.bar);
    expect(d.at(mid, spike.y - 1)).not.toBe(CHART_COLOR.bar);
    // 6 of 20 is 30% of the plot height; the pixel just above it is background.
    const third = bars[18]!;
    expect(third.h).toBe(Math.round((6 / 20) * (baselineY - peakY)));
    expect(d.at(third.x + 1, third.y)).toBe(CHART_COLOR.bar);
    expect(d.at(third.x + 1, third.y - 1)).toBe(CHART_COLOR.background);
    // Between two bars is a gap.
    expect(d.at(spike.x + spike.w, baselineY - 1)).toBe(CHART_COLOR.background);
  });

  it('highlights the latest bucket and keeps a single event visible next to a spike', () => {
    const d = decodePng(barChartPng(values));
    const { bars, baselineY } = chartLayout(values);
    const latest = bars[23]!;
    expect(latest.latest).toBe(true);
    expect(latest.h).toBeGreaterThanOrEqual(3);
    expect(d.at(latest.x + 1, baselineY - 1)).toBe(CHART_COLOR.latest);
    expect(d.at(bars[22]!.x + 1, baselineY - 1)).toBe(CHART_COLOR.bar);
    // Empty buckets have nothing above the baseline, which runs under every bucket.
    expect(d.at(bars[0]!.x + 1, baselineY - 1)).toBe(CHART_COLOR.background);
    expect(d.at(bars[0]!.x + 1, baselineY)).toBe(CHART_COLOR.baseline);
  });

  it('draws a quiet alert as a bare baseline with "now" marked', () => {
    const quiet = new Array<number>(24).fill(0);
    const img = drawBarChart(quiet);
    const counts = new Map<number, number>();
    for (const p of img.pixels) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect(counts.get(CHART_COLOR.bar)).toBeUndefined();
    expect(counts.get(CHART_COLOR.grid)).toBeUndefined();
    const last = chartLayout(quiet).bars[23]!;
    expect(counts.get(CHART_COLOR.latest)).toBe(last.w * 2);
  });
});
