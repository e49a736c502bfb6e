/**
 * How often an alert fired lately, in fixed buckets: the data behind the activity chart (PNG) and
 * the sparkline on alert messages. Pure: the store gives per-minute counts, the caller gives now.
 */

/** Bars in the chart and characters in the sparkline. */
export const ACTIVITY_BUCKETS = 24;
/** 5 minutes per bucket: 24 of them cover the last 2 hours, the span on-call cares about. */
export const ACTIVITY_BUCKET_MS = 5 * 60_000;
/** The store counts occurrences per minute; buckets are whole multiples of it. */
export const ACTIVITY_MINUTE_MS = 60_000;

/** Occurrences of one alert in one minute (`minute` = start of the minute, epoch ms). */
export interface MinuteCount {
  minute: number;
  count: number;
}

/** The picture on one alert message: activity buckets (sparkline) and the chart image's URL, if any. */
export interface AlertPicture {
  activity: number[];
  imageUrl: string | null;
}

/** The minute an occurrence at `at` is counted in. */
export function minuteOf(at: number): number {
  return Math.floor(at / ACTIVITY_MINUTE_MS) * ACTIVITY_MINUTE_MS;
}

/**
 * The window ending with the bucket that holds `now`; buckets are aligned to the clock (…:00,
 * …:05) so a chart fetched a minute later shows the same bars, just fuller.
 */
export function activityWindow(
  now: number,
  buckets = ACTIVITY_BUCKETS,
  bucketMs = ACTIVITY_BUCKET_MS,
): { start: number; end: number } {
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  return { start: end - buckets * bucketMs, end };
}

/** Sum per-minute counts into `buckets` buckets of the window ending at now's bucket, oldest first. */
export function bucketize(
  rows: readonly MinuteCount[],
  now: number,
  buckets = ACTIVITY_BUCKETS,
  bucketMs = ACTIVITY_BUCKET_MS,
): number[] {
  const { start, end } = activityWindow(now, buckets, bucketMs);
  const out = new Array<number>(buckets).fill(0);
  for (const r of rows) {
    if (r.minute < start || r.minute >= end) continue;
    out[Math.floor((r.minute - start) / bucketMs)]! += r.count;
  }
  return out;
}

const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per bucket. Empty buckets are the lowest bar; any activity is at least the second,
 * so a single occurrence is never mistaken for none.
 */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((v) => (v <= 0 || max === 0 ? LEVELS[0] : LEVELS[Math.max(1, Math.ceil((v / max) * (LEVELS.length - 1)))]))
    .join('');
}

/** Span of the window in words ("2 h", "30 min"). */
function span(buckets: number, bucketMs: number): string {
  const min = (buckets * bucketMs) / 60_000;
  return min % 60 === 0 ? `${min / 60} h` : `${min} min`;
}

/**
 * The caption under the chart, which is also the whole picture for text-only readers:
 * "📊 `▁▁▂█▅▃` last 2 h, 5 min per bar · peak 12 · now 3".
 */
export function activityCaption(values: readonly number[], bucketMs = ACTIVITY_BUCKET_MS): string {
  const peak = Math.max(0, ...values);
  const latest = values.at(-1) ?? 0;
  return `📊 \`${sparkline(values)}\` last ${span(values.length, bucketMs)}, ${bucketMs / 60_000} min per bar · peak ${peak} · now ${latest}`;
}

/** Alt text for the chart image (screen readers, and Slack when the image cannot load). */
export function activityAlt(values: readonly number[], bucketMs = ACTIVITY_BUCKET_MS): string {
  const total = values.reduce((a, b) => a + b, 0);
  const peak = Math.max(0, ...values);
  return `Bar chart: this alert fired ${total} time${total === 1 ? '' : 's'} in the last ${span(values.length, bucketMs)} (${bucketMs / 60_000} min per bar), peak ${peak} in one bar, ${values.at(-1) ?? 0} in the latest.`;
}
