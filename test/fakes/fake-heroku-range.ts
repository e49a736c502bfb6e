/**
 * `Range` / `Next-Range` for the fake Heroku API, as the Platform API reference describes them:
 * `Range: <field> [start]..[end]; max=<n>, order=<asc|desc>` (the CLI writes `version ..; order=desc,max=10`,
 * heroku-client sends `id ..; max=1000` on every request). Default page 200, cap 1000; truncated lists
 * answer 206 with `Next-Range` whose start is exclusive (`]`), which heroku-client follows verbatim.
 */
export interface ParsedRange {
  field: string;
  start: string | null;
  startExclusive: boolean;
  end: string | null;
  max: number;
  order: 'asc' | 'desc';
}

export const DEFAULT_PAGE = 200;
export const MAX_PAGE = 1000;

/** Parse a Range header; null when malformed (the fake answers 416 then, as Heroku does). */
export function parseRange(header: string | undefined, fields: readonly string[]): ParsedRange | null {
  if (header === undefined || header.trim() === '')
    return { field: fields[0]!, start: null, startExclusive: false, end: null, max: DEFAULT_PAGE, order: 'asc' };
  const m = /^\s*(\w+)\s+(\]?)([^.;\s]*)\s*\.\.\s*([^;\s]*)\s*(?:;\s*(.*))?$/.exec(header);
  if (!m || !fields.includes(m[1]!)) return null;
  const range: ParsedRange = {
    field: m[1]!,
    start: m[3] || null,
    startExclusive: m[2] === ']',
    end: m[4] || null,
    max: DEFAULT_PAGE,
    order: 'asc',
  };
  for (const part of (m[5] ?? '').split(/[,;]/)) {
    const [k, v] = part.split('=').map((s) => s.trim());
    if (!k) continue;
    if (k === 'max') {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) return null;
      range.max = Math.min(n, MAX_PAGE);
    } else if (k === 'order') {
      if (v !== 'asc' && v !== 'desc') return null;
      range.order = v;
    } else return null;
  }
  return range;
}

/** One page of `items` by the range, plus the Next-Range header value when more remain. */
export function pageOf<T>(
  items: readonly T[],
  range: ParsedRange,
  keyOf: (item: T, field: string) => string | number,
): { page: T[]; nextRange: string | null; contentRange: string } {
  const cmp = (a: string | number, b: string | number) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
  const sign = range.order === 'desc' ? -1 : 1;
  const sorted = [...items].sort((a, b) => sign * cmp(keyOf(a, range.field), keyOf(b, range.field)));
  const conv = (v: string, sample: string | number) => (typeof sample === 'number' ? Number(v) : v);
  const inRange = sorted.filter((item) => {
    const k = keyOf(item, range.field);
    // start/end are bounds in traversal order: for order=desc the start is the upper bound.
    if (range.start !== null) {
      const c = sign * cmp(k, conv(range.start, k));
      if (c < 0 || (c === 0 && range.startExclusive)) return false;
    }
    if (range.end !== null && sign * cmp(k, conv(range.end, k)) > 0) return false;
    return true;
  });
  const page = inRange.slice(0, range.max);
  const last = page.at(-1);
  const first = page[0];
  const nextRange =
    inRange.length > page.length && last !== undefined
      ? `${range.field} ]${keyOf(last, range.field)}..; order=${range.order}, max=${range.max}`
      : null;
  const contentRange =
    first !== undefined && last !== undefined
      ? `${range.field} ${keyOf(first, range.field)}..${keyOf(last, range.field)}`
      : `${range.field} ..`;
  return { page, nextRange, contentRange };
}
