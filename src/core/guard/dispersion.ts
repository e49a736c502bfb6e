import { pick } from './metric-counts.ts';
import type { GuardCounts, GuardMetric } from './guard-types.ts';

/** Dispersion above this is capped: past it the baseline is too erratic for any rate to mean much. */
export const MAX_DISPERSION = 10;

/**
 * How much burstier than Poisson a metric was over the baseline's minutes (Pearson χ² / degrees of
 * freedom, at least 1). Errors come in clumps (a client retries a failing call, one crash fails
 * several requests), and a Poisson test fed clumps of size φ trips about as if its level were
 * raised by φ; dividing counts by φ (quasi-Poisson) gives the test back its level. docs/GUARD.md.
 */
export function dispersionOf(minutes: readonly GuardCounts[], metric: GuardMetric): number {
  const picked = minutes.map((m) => pick(metric, m)).filter((p) => p.exposure > 0);
  if (picked.length < 3) return 1;
  const events = picked.reduce((s, p) => s + p.events, 0);
  const exposure = picked.reduce((s, p) => s + p.exposure, 0);
  if (events === 0) return 1;
  const rate = events / exposure;
  let chi2 = 0;
  for (const p of picked) {
    const expected = rate * p.exposure;
    chi2 += (p.events - expected) ** 2 / expected;
  }
  return Math.min(MAX_DISPERSION, Math.max(1, chi2 / (picked.length - 1)));
}

/** Every metric's dispersion over the baseline's minutes. */
export function dispersions(
  minutes: readonly GuardCounts[],
  metrics: readonly GuardMetric[],
): Partial<Record<GuardMetric, number>> {
  const out: Partial<Record<GuardMetric, number>> = {};
  for (const m of metrics) out[m] = Math.round(dispersionOf(minutes, m) * 1000) / 1000;
  return out;
}
