import type { GuardMetric, MetricVerdict } from './guard-types.ts';
import { msText, pct } from '../drain/stats.ts';

/** How the guard's metrics and evidence are said (issue 21). */

export const METRIC_NAMES: Record<GuardMetric, string> = {
  error_ratio: '5xx ratio',
  error_ratio_autorisen: '5xx ratio under /api/autorisen/',
  auth_autorisen: '401/403 under /api/autorisen/',
  p95_latency: 'requests slower than the baseline p95',
  p99_latency: 'requests slower than the baseline p99',
  router_errors: 'router H-codes',
  memory_errors: 'R14/R15 memory errors',
};

function rate(metric: GuardMetric, r: number | null): string {
  if (r === null) return '–';
  return metric === 'memory_errors' ? `${r.toFixed(2)}/min` : pct(r, 2);
}

/** "5xx ratio under /api/autorisen/ 0.50% → 25.00% (30 of 120; bound 0.92%, test 14.2 ≥ 6.6)". */
export function evidenceText(v: MetricVerdict): string {
  const name = METRIC_NAMES[v.metric];
  if (v.status === 'insufficient') return `${name}: too little traffic (${v.reason})`;
  const per = v.metric === 'memory_errors' ? `in ${v.now.exposure.toFixed(1)} min` : `of ${v.now.exposure}`;
  return `${name} ${rate(v.metric, v.baseline.rate)} → ${rate(v.metric, v.now.rate)} (${v.now.events} ${per}; bound ${rate(v.metric, v.bound)}, test ${v.score.toFixed(1)} ${v.status === 'regressed' ? '≥' : '<'} ${v.threshold.toFixed(1)})`;
}

/** "p95 270 ms, p99 480 ms" for the baseline's latency values. */
export function latencyText(p95: number | null, p99: number | null): string {
  return `p95 ${msText(p95)}, p99 ${msText(p99)}`;
}

/** "12 min" / "45 s" left. */
export function leftText(ms: number): string {
  if (ms <= 0) return 'ending';
  return ms >= 60_000 ? `${Math.ceil(ms / 60_000)} min` : `${Math.ceil(ms / 1000)} s`;
}
