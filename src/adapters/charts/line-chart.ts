import { encodePng, type IndexedImage } from './png.ts';

/**
 * Stacked line charts in flat colours, no text (the message beside it carries the words, as for
 * the bar chart): one panel per series (latency p95, 5xx, memory), a shared time axis, and each
 * change (deploy, rollback, flag flip) as a vertical orange line through every panel, so "it got
 * worse right after the flip" is seen at a glance.
 */

export const LINE_COLOR = { background: 0, grid: 1, axis: 2, line: 3, marker: 4, threshold: 5 } as const;

export const LINE_PALETTE: readonly (readonly [number, number, number])[] = [
  [0xff, 0xff, 0xff],
  [0xe6, 0xea, 0xef],
  [0x8c, 0x95, 0xa1],
  [0x5b, 0x8f, 0xc9],
  [0xe0, 0x7b, 0x39],
  [0xd0, 0x4a, 0x4a],
];

/** One panel: a value per slot (null = no data: a gap in the line), and an optional threshold line. */
export interface LinePanel {
  values: readonly (number | null)[];
  threshold?: number | null;
}

export interface LineChartInput {
  panels: readonly LinePanel[];
  /** Slot indexes (0..n-1) where a change happened. */
  markers: readonly number[];
}

export const LINE_CHART_SIZE = { width: 720, panelHeight: 90, padding: 10, gap: 12 } as const;

/** Pixel rows [top, bottom] of panel `i`, exported so tests can find the lines. */
export function panelBox(i: number): { top: number; bottom: number } {
  const { padding, panelHeight, gap } = LINE_CHART_SIZE;
  const top = padding + i * (panelHeight + gap);
  return { top, bottom: top + panelHeight - 1 };
}

/** Column of slot `i` of `n`. */
export function slotX(i: number, n: number): number {
  const { width, padding } = LINE_CHART_SIZE;
  const inner = width - 2 * padding - 1;
  return padding + (n <= 1 ? inner : Math.round((i / (n - 1)) * inner));
}

export function drawLineChart(input: LineChartInput): IndexedImage {
  const { width, padding, panelHeight, gap } = LINE_CHART_SIZE;
  const panels = Math.max(1, input.panels.length);
  const height = 2 * padding + panels * panelHeight + (panels - 1) * gap;
  const pixels = new Uint8Array(width * height).fill(LINE_COLOR.background);
  const set = (x: number, y: number, c: number) => {
    if (x >= 0 && x < width && y >= 0 && y < height) pixels[y * width + x] = c;
  };
  const line = (x0: number, y0: number, x1: number, y1: number, c: number) => {
    // Bresenham, drawn 2 px thick (the pixel below too) so it survives Slack's downscaling.
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      set(x0, y0, c);
      set(x0, y0 + 1, c);
      if (x0 === x1 && y0 === y1) break;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  };
  input.panels.forEach((panel, p) => {
    const { top, bottom } = panelBox(p);
    const n = panel.values.length;
    const nums = panel.values.filter((v): v is number => v !== null && Number.isFinite(v));
    const max = Math.max(...nums, panel.threshold ?? 0, 1e-9);
    const y = (v: number) => bottom - Math.round((Math.max(0, v) / max) * (bottom - top - 2));
    for (let x = padding; x < width - padding; x++) {
      set(x, top, LINE_COLOR.grid);
      set(x, bottom + 1, LINE_COLOR.axis);
    }
    if (panel.threshold)
      for (let x = padding; x < width - padding; x += 4) set(x, y(panel.threshold), LINE_COLOR.threshold);
    let prev: { x: number; y: number } | null = null;
    for (let i = 0; i < n; i++) {
      const v = panel.values[i];
      if (v === null || v === undefined || !Number.isFinite(v)) {
        prev = null;
        continue;
      }
      const pt = { x: slotX(i, n), y: y(v) };
      if (prev) line(prev.x, prev.y, pt.x, pt.y, LINE_COLOR.line);
      else set(pt.x, pt.y, LINE_COLOR.line);
      prev = pt;
    }
  });
  const n = input.panels[0]?.values.length ?? 0;
  for (const m of input.markers) {
    const x = slotX(m, n);
    for (let yy = padding; yy < height - padding; yy++) {
      set(x, yy, LINE_COLOR.marker);
      set(x + 1, yy, LINE_COLOR.marker);
    }
  }
  return { width, height, palette: LINE_PALETTE, pixels };
}

export function lineChartPng(input: LineChartInput): Buffer {
  return encodePng(drawLineChart(input));
}
