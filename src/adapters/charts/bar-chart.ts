import { encodePng, type IndexedImage } from './png.ts';

/**
 * A small bar chart in flat colours, no text: one bar per bucket, a baseline, a faint line at the
 * peak, and the latest bucket (now) in an accent colour so "spike, steady drip or calming down" is
 * read at a glance. Labels live in the message beside it (alt text and caption), where Slack
 * renders text far better than we could in pixels.
 */

/** Palette indices of the chart's colours. */
export const CHART_COLOR = { background: 0, grid: 1, baseline: 2, bar: 3, latest: 4 } as const;

/** White card, grey rules, calm blue bars, orange for now (legible in Slack's light and dark themes). */
export const CHART_PALETTE: readonly (readonly [number, number, number])[] = [
  [0xff, 0xff, 0xff],
  [0xe6, 0xea, 0xef],
  [0x8c, 0x95, 0xa1],
  [0x5b, 0x8f, 0xc9],
  [0xe0, 0x7b, 0x39],
];

export interface BarChartOptions {
  width: number;
  height: number;
  /** Empty margin around the plot, in pixels. */
  padding: number;
}

/** 600×160: wide enough for 24 legible bars, short enough to sit in a Slack message. */
export const DEFAULT_CHART_OPTIONS: BarChartOptions = { width: 600, height: 160, padding: 10 };

/** One bar's rectangle, in pixels from the top-left corner. */
export interface BarRect {
  x: number;
  y: number;
  w: number;
  h: number;
  value: number;
  latest: boolean;
}

export interface ChartLayout {
  bars: BarRect[];
  /** First of the baseline's two rows. */
  baselineY: number;
  /** Row of the faint line marking the peak (the top of the tallest bar). */
  peakY: number;
}

/** Least height of a non-empty bar, so a single occurrence is still visible next to a spike. */
const MIN_BAR = 3;

/** Where every bar goes. Pure; exported so tests can check pixels against it. */
export function chartLayout(values: readonly number[], opts: BarChartOptions = DEFAULT_CHART_OPTIONS): ChartLayout {
  const { width, height, padding } = opts;
  const baselineY = height - padding - 2;
  const plotTop = padding;
  const plotHeight = baselineY - plotTop;
  const n = Math.max(1, values.length);
  const inner = width - 2 * padding;
  const slot = Math.max(1, Math.floor(inner / n));
  const x0 = padding + Math.floor((inner - slot * n) / 2);
  const gap = slot >= 4 ? Math.max(1, Math.round(slot * 0.2)) : 0;
  const max = Math.max(0, ...values.map((v) => (Number.isFinite(v) ? v : 0)));
  const bars = values.map((raw, i): BarRect => {
    const value = Number.isFinite(raw) && raw > 0 ? raw : 0;
    const h = value === 0 ? 0 : Math.max(MIN_BAR, Math.round((value / max) * plotHeight));
    return {
      x: x0 + i * slot + Math.floor(gap / 2),
      y: baselineY - h,
      w: slot - gap,
      h,
      value,
      latest: i === values.length - 1,
    };
  });
  return { bars, baselineY, peakY: plotTop };
}

/** Draw the chart as an indexed image (palette CHART_PALETTE). */
export function drawBarChart(values: readonly number[], opts: BarChartOptions = DEFAULT_CHART_OPTIONS): IndexedImage {
  const { width, height } = opts;
  const pixels = new Uint8Array(width * height).fill(CHART_COLOR.background);
  const fill = (x: number, y: number, w: number, h: number, color: number) => {
    for (let row = Math.max(0, y); row < Math.min(height, y + h); row++)
      pixels.fill(color, row * width + Math.max(0, x), row * width + Math.min(width, x + w));
  };
  const layout = chartLayout(values, opts);
  const left = opts.padding;
  const span = width - 2 * opts.padding;
  const hasData = layout.bars.some((b) => b.h > 0);
  if (hasData) fill(left, layout.peakY, span, 1, CHART_COLOR.grid);
  for (const b of layout.bars) fill(b.x, b.y, b.w, b.h, b.latest ? CHART_COLOR.latest : CHART_COLOR.bar);
  fill(left, layout.baselineY, span, 2, CHART_COLOR.baseline);
  // Mark "now" on the baseline too, so the latest bucket is findable even when it is empty.
  const last = layout.bars.at(-1);
  if (last) fill(last.x, layout.baselineY, last.w, 2, CHART_COLOR.latest);
  return { width, height, palette: CHART_PALETTE, pixels };
}

/** The chart as PNG bytes. */
export function barChartPng(values: readonly number[], opts: BarChartOptions = DEFAULT_CHART_OPTIONS): Buffer {
  return encodePng(drawBarChart(values, opts));
}
