import type { LogdrainRules } from '../../config/logdrain-schema.ts';
import type { Severity } from '../alerts/alerts.ts';
import { msText, pct, type WindowStats } from './stats.ts';

/**
 * Threshold rules over drain windows, pure: each rule says whether it is breached now, with the
 * title the alert will carry. `window(minutes, back)` gives the stats of the last `minutes`
 * minutes (back = 1: the `minutes` before those).
 */

export const RULE_NAMES = [
  'error_ratio',
  'p95_latency',
  'autorisen_401_growth',
  'memory_quota',
  'error_codes',
] as const;
export type RuleName = (typeof RULE_NAMES)[number];

export interface RuleResult {
  rule: RuleName;
  /** Sub-key for rules that fire per item (the H-code), else ''. */
  item: string;
  breached: boolean;
  severity: Severity;
  /** What the alert says ("5xx ratio 3.1% over 5 min (rule: > 2%, 412 requests)"). */
  title: string;
}

export type WindowFn = (minutes: number, back?: number) => WindowStats;

export function evaluateRules(rules: LogdrainRules, window: WindowFn): RuleResult[] {
  const out: RuleResult[] = [];
  const r = rules.error_ratio;
  if (r) {
    const s = window(r.window_minutes);
    const breached = s.requests >= r.min_requests && (s.errorRatio ?? 0) * 100 > r.max_percent;
    out.push({
      rule: 'error_ratio',
      item: '',
      breached,
      severity: 'error',
      title: `5xx ratio ${pct(s.errorRatio)} over ${r.window_minutes} min (rule: > ${r.max_percent}% with ≥ ${r.min_requests} requests; ${s.requests} requests)`,
    });
  }
  const l = rules.p95_latency;
  if (l) {
    const s = window(l.window_minutes);
    const breached = s.requests >= l.min_requests && (s.p95 ?? 0) > l.max_ms;
    out.push({
      rule: 'p95_latency',
      item: '',
      breached,
      severity: 'warning',
      title: `p95 latency ${msText(s.p95)} over ${l.window_minutes} min (rule: > ${msText(l.max_ms)}; p99 ${msText(s.p99)})`,
    });
  }
  const a = rules.autorisen_401_growth;
  if (a) {
    const now = window(a.window_minutes).auth401Inside;
    const prev = window(a.window_minutes, 1);
    const before = prev.auth401Inside;
    // Growth needs a baseline: without traffic in the window before (drain just added), nothing doubled.
    const breached = prev.requests > 0 && now >= a.min_count && now >= a.factor * before;
    out.push({
      rule: 'autorisen_401_growth',
      item: '',
      breached,
      severity: 'warning',
      title: `401s on /api/autorisen/ ${before} → ${now} in ${a.window_minutes} min (rule: ×${a.factor} and ≥ ${a.min_count})`,
    });
  }
  const m = rules.memory_quota;
  if (m) {
    const s = window(m.window_minutes);
    const breached = s.memoryRatio !== null && s.memoryRatio * 100 > m.max_percent;
    out.push({
      rule: 'memory_quota',
      item: '',
      breached,
      severity: 'warning',
      title: `memory ${pct(s.memoryRatio, 0)} of quota on ${s.memoryDyno ?? 'a dyno'} (${s.memoryMaxMb?.toFixed(0) ?? '–'} MB; rule: > ${m.max_percent}%)`,
    });
  }
  const c = rules.error_codes;
  if (c) {
    const s = window(c.window_minutes);
    for (const code of c.codes) {
      const n = s.codes[code] ?? 0;
      out.push({
        rule: 'error_codes',
        item: code,
        breached: n > c.max,
        severity: code === 'H12' || code === 'H10' || code === 'R15' ? 'error' : 'warning',
        title: `${code} ×${n} in ${c.window_minutes} min (${CODE_NAMES[code] ?? 'Heroku error'}; rule: > ${c.max})`,
      });
    }
  }
  return out;
}

/** Heroku's names for the codes worth watching (Dev Center "Heroku Error Codes"). */
const CODE_NAMES: Record<string, string> = {
  H10: 'App crashed',
  H12: 'Request timeout',
  H13: 'Connection closed without response',
  H14: 'No web dynos running',
  H15: 'Idle connection',
  H18: 'Server request interrupted',
  H20: 'App boot timeout',
  H27: 'Client request interrupted',
  H28: 'Client connection idle',
  H80: 'Maintenance mode',
  H81: 'Blank app',
  H99: 'Platform error',
  R14: 'Memory quota exceeded',
  R15: 'Memory quota vastly exceeded',
};
