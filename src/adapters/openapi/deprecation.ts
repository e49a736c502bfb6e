/**
 * Deprecation- and sunset-aware lifecycle rules, read from `deprecated`, `x-sunset` (a date,
 * YYYY-MM-DD or RFC 3339) and `x-stability-level` (draft | alpha | beta | stable). The idea, as in
 * oasdiff: removing something is fine once it was deprecated and its sunset date has passed, and
 * draft/alpha operations carry no promise; deprecating something needs a sunset date at least the
 * configured number of days away (per stability level; 0 = no policy). "Today" is injected.
 */
import type { DiffOptions, Severity } from '../../ports/spec-diff.ts';
import type { Json, JsonObject } from './json.ts';

/** What the lifecycle rules need from the options. */
export interface Lifecycle {
  today: string;
  betaDays: number;
  stableDays: number;
}

export const STABILITY_LEVELS = ['draft', 'alpha', 'beta', 'stable'] as const;
type Stability = (typeof STABILITY_LEVELS)[number];

export function lifecycleOf(options: DiffOptions): Lifecycle {
  return {
    today: options.today ?? new Date().toISOString().slice(0, 10),
    betaDays: options.deprecationDays?.beta ?? 0,
    stableDays: options.deprecationDays?.stable ?? 0,
  };
}

/** A sunset date as YYYY-MM-DD, or an error sentence. */
export function parseSunset(value: Json | undefined): { date: string } | { error: string } {
  const text = value instanceof Date ? value.toISOString() : typeof value === 'string' ? value : undefined;
  if (text !== undefined) {
    const m = /^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))?$/.exec(text);
    if (m && !Number.isNaN(Date.parse(`${m[1]}T00:00:00Z`))) return { date: m[1]! };
  }
  return { error: `x-sunset ${JSON.stringify(value)} is not a date (YYYY-MM-DD or RFC 3339)` };
}

/** The stability level, undefined when absent, or an error sentence when not one of the four. */
export function stabilityOf(node: JsonObject): { level?: Stability } | { error: string } {
  const v = node['x-stability-level'];
  if (v === undefined) return {};
  if (typeof v === 'string' && (STABILITY_LEVELS as readonly string[]).includes(v)) return { level: v as Stability };
  return { error: `x-stability-level ${JSON.stringify(v)} is not one of draft, alpha, beta or stable` };
}

/** Days from a to b (YYYY-MM-DD), negative when b is earlier. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function minDays(level: Stability | undefined, lc: Lifecycle): number {
  if (level === 'draft' || level === 'alpha') return 0;
  return level === 'beta' ? lc.betaDays : lc.stableDays;
}

/** The finding for removing something (an endpoint or a parameter) given how it was marked. */
export function removal(
  node: JsonObject,
  lc: Lifecycle,
  prefix: 'endpoint' | 'request-parameter',
  what: string,
  withoutDeprecation: { severity: Severity; rule: string; why: string },
): { severity: Severity; rule: string; message: string } {
  const stability = stabilityOf(node);
  if (prefix === 'endpoint' && 'level' in stability && (stability.level === 'draft' || stability.level === 'alpha'))
    return {
      severity: 'non-breaking',
      rule: 'endpoint-removed-unstable',
      message: `${what} was removed (its stability level was ${stability.level}).`,
    };
  if (node.deprecated !== true)
    return { ...withoutDeprecation, message: `${what} was removed without deprecation${withoutDeprecation.why}.` };
  if (node['x-sunset'] === undefined)
    return {
      severity: 'warning',
      rule: `${prefix}-removed-after-deprecation`,
      message: `${what} was removed (it was deprecated, with no sunset date).`,
    };
  const sunset = parseSunset(node['x-sunset']);
  if ('error' in sunset)
    return {
      severity: 'breaking',
      rule: `${prefix}-sunset-invalid`,
      message: `${what} was removed; its ${sunset.error}.`,
    };
  const left = daysBetween(lc.today, sunset.date);
  if (left > 0)
    return {
      severity: 'breaking',
      rule: `${prefix}-removed-before-sunset`,
      message: `${what} was removed ${left} day${left === 1 ? '' : 's'} before its sunset (${sunset.date}).`,
    };
  return {
    severity: 'non-breaking',
    rule: `${prefix}-removed-after-sunset`,
    message: `${what} was removed after its sunset date (${sunset.date}).`,
  };
}

type Add = (severity: Severity, rule: string, location: string, message: string) => void;

/** Deprecation, sunset and stability changes between two versions of an operation (or a parameter). */
export function compareLifecycle(
  b: JsonObject,
  r: JsonObject,
  lc: Lifecycle,
  prefix: 'endpoint' | 'request-parameter' | 'property',
  what: string,
  location: string,
  add: Add,
): void {
  const bs = stabilityOf(b);
  const rs = stabilityOf(r);
  if (prefix === 'endpoint') {
    for (const s of [bs, rs])
      if ('error' in s) add('breaking', 'endpoint-stability-invalid', location, `${what}: ${s.error}.`);
    const bl = 'level' in bs ? bs.level : undefined;
    const rl = 'level' in rs ? rs.level : undefined;
    if (bl && rl && bl !== rl) {
      const down = STABILITY_LEVELS.indexOf(rl) < STABILITY_LEVELS.indexOf(bl);
      add(
        down ? 'breaking' : 'non-breaking',
        `endpoint-stability-${down ? 'decreased' : 'increased'}`,
        location,
        `${what}: stability level ${down ? 'decreased' : 'increased'} from ${bl} to ${rl}.`,
      );
    }
  }
  if (r.deprecated !== true) return;
  const level = 'level' in rs ? rs.level : undefined;
  const need = minDays(level, lc);
  const sunsetBefore = b['x-sunset'];
  const sunsetAfter = r['x-sunset'];
  if (b.deprecated === true && sunsetBefore !== undefined && sunsetAfter === undefined) {
    add(
      'breaking',
      `${prefix}-sunset-deleted`,
      location,
      `${what}: its sunset date was deleted while still deprecated.`,
    );
    return;
  }
  if (b.deprecated !== true && sunsetAfter === undefined) {
    if (need > 0)
      add(
        'breaking',
        `${prefix}-deprecated-sunset-missing`,
        location,
        `${what} was deprecated without a sunset date (the policy asks for ${need} days' notice).`,
      );
    return;
  }
  if (sunsetAfter === undefined || JSON.stringify(sunsetBefore) === JSON.stringify(sunsetAfter)) return;
  const after = parseSunset(sunsetAfter);
  if ('error' in after) {
    add('breaking', `${prefix}-deprecated-sunset-invalid`, location, `${what}: its ${after.error}.`);
    return;
  }
  const left = daysBetween(lc.today, after.date);
  const before = b.deprecated === true && sunsetBefore !== undefined ? parseSunset(sunsetBefore) : undefined;
  if (before && 'error' in before) {
    add('breaking', `${prefix}-sunset-invalid`, location, `${what}: its previous ${before.error}.`);
    return;
  }
  if (before) {
    if (before.date > after.date && left < need)
      add(
        'breaking',
        `${prefix}-sunset-moved-too-soon`,
        location,
        `${what}: sunset moved from ${before.date} to ${after.date}, ${left} days away (the policy asks for ${need}).`,
      );
    return;
  }
  if (left < need)
    add(
      'breaking',
      `${prefix}-sunset-too-soon`,
      location,
      `${what} was deprecated with a sunset date ${after.date}, ${left} days away (the policy asks for ${need}).`,
    );
}
