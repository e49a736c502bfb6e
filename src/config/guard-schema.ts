import { z } from 'zod';
import { DEFAULT_THRESHOLDS } from '../core/guard/defaults.ts';
import { GUARD_METRICS, type GuardThresholds } from '../core/guard/guard-types.ts';
import { problemsOf } from './schema-kit.ts';

/**
 * The `guard:` section (issue 21): per environment, whether changes are guarded, for how long, what
 * the guard does when it trips and every threshold of its test (docs/GUARD.md explains them).
 * Strict: an unknown key is an error. A production environment is guarded unless it says
 * `enabled: false`; any other environment only when it says `enabled: true`.
 */

const d = DEFAULT_THRESHOLDS;

export const guardEnvSchema = z.strictObject({
  enabled: z.boolean().optional(),
  /** How long after a change the guard watches. */
  window_minutes: z.number().int().min(1).max(240).default(30),
  /** How much drain before the change is the baseline. */
  baseline_minutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(60),
  /** How often the guard looks (the current, partial drain minute included). */
  look_seconds: z.number().int().min(5).max(300).default(10),
  /** A drain silent this long makes the guard blind: it says so and does not act. */
  blind_minutes: z.number().int().min(1).max(60).default(5),
  actions: z
    .strictObject({
      /** After `flag on`: run the kill switch (`flag_off`) or only tell people. */
      flag_on: z.enum(['flag_off', 'notify']).default('flag_off'),
      /** During a deploy's / release's bake: tell people, or roll back (opt in). */
      deploy: z.enum(['notify', 'rollback']).default('notify'),
      release: z.enum(['notify', 'rollback']).default('notify'),
    })
    .default({ flag_on: 'flag_off', deploy: 'notify', release: 'notify' }),
  /** The chance of a false trip over a whole window, all metrics together. */
  false_alarm: z.number().gt(0).max(0.2).default(d.falseAlarm),
  baseline_confidence: z.number().min(0.5).lt(1).default(d.baselineConfidence),
  tolerance: z.number().min(1).max(10).default(d.tolerance),
  latency_tolerance: z.number().min(1).max(10).default(d.latencyTolerance),
  effects: z
    .array(z.number().gt(1).max(1000))
    .min(1)
    .max(10)
    .default([...d.effects]),
  min_dispersion: z.number().min(1).max(10).default(d.minDispersion),
  dispersion_confidence: z.number().min(0.5).lt(1).default(d.dispersionConfidence),
  min_events: z.number().int().min(1).default(d.minEvents),
  require_two_minutes: z.boolean().default(d.requireTwoMinutes),
  min_baseline_requests: z.number().int().min(1).default(d.minBaselineRequests),
  min_baseline_slow: z.number().int().min(1).default(d.minBaselineSlow),
  min_after_requests: z.number().int().min(1).default(d.minAfterRequests),
  metrics: z
    .array(z.enum(GUARD_METRICS))
    .min(1)
    .default([...GUARD_METRICS]),
});

export const guardSchema = z.strictObject({
  environments: z.record(z.string(), guardEnvSchema).default({}),
});

export type GuardAction = 'flag_off' | 'notify' | 'rollback';

/** The resolved guard settings of one environment. */
export interface GuardEnvConfig {
  env: string;
  enabled: boolean;
  windowMinutes: number;
  baselineMinutes: number;
  lookSeconds: number;
  blindMinutes: number;
  actions: { flagOn: 'flag_off' | 'notify'; deploy: 'notify' | 'rollback'; release: 'notify' | 'rollback' };
  thresholds: GuardThresholds;
}

export interface GuardConfig {
  environments: GuardEnvConfig[];
}

/** Validate `raw` (the `guard:` value, maybe undefined) against the configured environments. */
export function readGuard(
  raw: unknown,
  environments: readonly { name: string; production: boolean }[],
  problems: string[],
): GuardConfig {
  const parsed = guardSchema.safeParse(raw ?? {});
  if (!parsed.success) problems.push(...problemsOf(parsed.error, 'guard'));
  const value = parsed.success ? parsed.data : guardSchema.parse({});
  // From the raw value too, so an unknown environment is named even when another key failed validation.
  const rawEnvs = raw && typeof raw === 'object' ? (raw as { environments?: unknown }).environments : undefined;
  for (const name of rawEnvs && typeof rawEnvs === 'object' ? Object.keys(rawEnvs) : [])
    if (!environments.some((e) => e.name === name))
      problems.push(`guard.environments.${name}: no environment named "${name}"`);
  return {
    environments: environments.map((e) => {
      const own = value.environments[e.name] ?? guardEnvSchema.parse({});
      return {
        env: e.name,
        enabled: own.enabled ?? e.production,
        windowMinutes: own.window_minutes,
        baselineMinutes: own.baseline_minutes,
        lookSeconds: own.look_seconds,
        blindMinutes: own.blind_minutes,
        actions: { flagOn: own.actions.flag_on, deploy: own.actions.deploy, release: own.actions.release },
        thresholds: {
          falseAlarm: own.false_alarm,
          baselineConfidence: own.baseline_confidence,
          tolerance: own.tolerance,
          latencyTolerance: own.latency_tolerance,
          effects: own.effects,
          minDispersion: own.min_dispersion,
          dispersionConfidence: own.dispersion_confidence,
          minEvents: own.min_events,
          requireTwoMinutes: own.require_two_minutes,
          minBaselineRequests: own.min_baseline_requests,
          minBaselineSlow: own.min_baseline_slow,
          minAfterRequests: own.min_after_requests,
          metrics: [...new Set(own.metrics)],
        },
      };
    }),
  };
}
