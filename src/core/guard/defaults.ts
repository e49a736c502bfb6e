import type { GuardThresholds } from './guard-types.ts';
import { GUARD_METRICS } from './guard-types.ts';

/** The detector's defaults (docs/GUARD.md explains each; src/config/guard-schema.ts exposes them). */
export const DEFAULT_THRESHOLDS: GuardThresholds = {
  falseAlarm: 0.01,
  baselineConfidence: 0.9,
  tolerance: 1.5,
  latencyTolerance: 2,
  effects: [2, 4, 8, 16],
  minDispersion: 1,
  dispersionConfidence: 0.99,
  minEvents: 5,
  requireTwoMinutes: false,
  minBaselineRequests: 300,
  minBaselineSlow: 10,
  minAfterRequests: 20,
  metrics: GUARD_METRICS,
};
