/**
 * The statistics under the guard, pure (docs/GUARD.md has the reasoning).
 *
 * Events since a change (5xx, slow requests, H-codes…) are tested against a null rate p0 per unit
 * of exposure with a mixture sequential probability ratio test: for effect sizes r_1…r_m,
 *   Λ(k, e) = (1/m) Σ_j r_j^k · exp(−(r_j − 1)·p0·e)
 * Each term is the Poisson likelihood ratio of rate r_j·p0 against p0; under any rate ≤ p0 (and for
 * Bernoulli events as well) it is a non-negative supermartingale with mean ≤ 1, so their average is
 * too, and Ville's inequality gives P(sup_t Λ ≥ 1/α) ≤ α: the guard may look as often as it likes.
 */

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * One-sided upper confidence bound for the mean of a Poisson count k (Wilson–Hilferty's
 * approximation of the exact chi-square bound; within 1% of it for k ≥ 0, and 2.30 for k = 0 at 90%).
 */
export function poissonUpper(k: number, confidence: number): number {
  const z = normalQuantile(confidence);
  const n = k + 1;
  return n * (1 - 1 / (9 * n) + z / (3 * Math.sqrt(n))) ** 3;
}

/** log Λ for `events` seen where `expected` (= p0 × exposure) were expected under the null. */
export function logMixtureRatio(events: number, expected: number, effects: readonly number[]): number {
  if (effects.length === 0) throw new RangeError('logMixtureRatio: no effect sizes');
  const terms = effects.map((r) => events * Math.log(r) - (r - 1) * expected);
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0) / terms.length);
}

/** The χ²(df) quantile at p (Wilson–Hilferty; within 1% of exact for df ≥ 10). */
export function chiSquareQuantile(df: number, p: number): number {
  const v = 2 / (9 * df);
  return df * Math.max(0.01, 1 - v + normalQuantile(p) * Math.sqrt(v)) ** 3;
}
