import { z } from 'zod';

/**
 * The `logdrain:` section of the YAML config (issue 12): retention and, per environment, the
 * Logplex drain tokens that belong to its Heroku app and the threshold rules. Strict objects: an
 * unknown key is a mistake worth reporting. Passwords are secrets and come from the environment
 * (LOGDRAIN_PASSWORD_<ENV>), never from this file.
 */

const window = z.number().int().min(1).max(120);

/** Threshold rules; each may be switched off with `false`. Defaults are the rollout plan's. */
export const logdrainRulesSchema = z.strictObject({
  /** 5xx responses as a share of requests over the window, with a minimum of requests. */
  error_ratio: z
    .union([
      z.literal(false),
      z.strictObject({
        max_percent: z.number().gt(0).max(100),
        window_minutes: window,
        min_requests: z.number().int().min(1),
      }),
    ])
    .default({ max_percent: 2, window_minutes: 5, min_requests: 50 }),
  /** Router p95 latency (connect + service) over the window. */
  p95_latency: z
    .union([
      z.literal(false),
      z.strictObject({ max_ms: z.number().gt(0), window_minutes: window, min_requests: z.number().int().min(1) }),
    ])
    .default({ max_ms: 1500, window_minutes: 5, min_requests: 20 }),
  /** 401s on /api/autorisen/ in the window vs the window before it: `factor`× or more, and at least `min_count`. */
  autorisen_401_growth: z
    .union([
      z.literal(false),
      z.strictObject({ factor: z.number().gt(1), window_minutes: window, min_count: z.number().int().min(1) }),
    ])
    .default({ factor: 2, window_minutes: 10, min_count: 10 }),
  /** Any dyno's memory over this share of its quota (a minute's peak) within the window. */
  memory_quota: z
    .union([z.literal(false), z.strictObject({ max_percent: z.number().gt(0).max(1000), window_minutes: window })])
    .default({ max_percent: 90, window_minutes: 5 }),
  /** Router/dyno error codes: more than `max` of any listed code within the window. */
  error_codes: z
    .union([
      z.literal(false),
      z.strictObject({
        codes: z.array(z.string().regex(/^[HR]\d{2}$/, 'expected a Heroku code such as H12 or R14')).min(1),
        max: z.number().int().min(0),
        window_minutes: window,
      }),
    ])
    .default({ codes: ['H12'], max: 0, window_minutes: 5 }),
});

export const logdrainEnvSchema = z.strictObject({
  /** `Logplex-Drain-Token`s (`d.<uuid>`, shown by `heroku drains -a <app>`) of this environment's app. */
  drain_tokens: z
    .array(z.string().regex(/^d\.[0-9a-f-]{36}$/i, 'expected a drain token such as d.fc6b856b-…'))
    .default([]),
  rules: logdrainRulesSchema.default(logdrainRulesSchema.parse({})),
});

export const logdrainSchema = z.strictObject({
  /** Per-minute aggregates and remembered frame ids older than this are deleted. */
  retention_days: z.number().int().min(1).max(400).default(14),
  /** Minutes before and after a change compared in messages and `/autorisen metrics`. */
  compare_minutes: z.number().int().min(1).max(120).default(10),
  environments: z.record(z.string(), logdrainEnvSchema).default({}),
});

export type LogdrainYaml = z.infer<typeof logdrainSchema>;
export type LogdrainRules = z.infer<typeof logdrainRulesSchema>;

/** The resolved drain settings of one environment. */
export interface LogdrainEnvConfig {
  env: string;
  /** Basic-auth passwords accepted (current, then previous during rotation); empty = drain off. */
  passwords: string[];
  /** Drain tokens of the env's app; empty = not checked yet (first set-up), see docs/ALERTS.md. */
  drainTokens: string[];
  rules: LogdrainRules;
}

export interface LogdrainConfig {
  retentionDays: number;
  compareMinutes: number;
  environments: LogdrainEnvConfig[];
}

/** `LOGDRAIN_PASSWORD_<ENV>`: the environment name upper-cased, anything but A-Z0-9 as `_`. */
export function passwordVariable(env: string): string {
  return `LOGDRAIN_PASSWORD_${env.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Validate `raw` (the `logdrain:` value, maybe undefined) and resolve it against the configured
 * environments and the process environment. Problems are appended as `logdrain.<path>: <message>`.
 */
export function readLogdrain(
  raw: unknown,
  env: Record<string, string | undefined>,
  environments: readonly { name: string }[],
  problems: string[],
): LogdrainConfig {
  const parsed = logdrainSchema.safeParse(raw ?? {});
  const value: LogdrainYaml = parsed.success ? parsed.data : logdrainSchema.parse({});
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      problems.push(
        `logdrain${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`,
      );
  // From the raw value too, so an unknown environment is named even when another key failed validation.
  const rawEnvs = raw && typeof raw === 'object' ? (raw as { environments?: unknown }).environments : undefined;
  const named = rawEnvs && typeof rawEnvs === 'object' ? Object.keys(rawEnvs) : [];
  for (const name of named)
    if (!environments.some((e) => e.name === name))
      problems.push(`logdrain.environments.${name}: no environment named "${name}"`);
  const secret = (k: string) => {
    const v = env[k]?.trim();
    return v ? v : null;
  };
  const out: LogdrainEnvConfig[] = environments.map((e) => {
    const own = value.environments[e.name] ?? logdrainEnvSchema.parse({});
    const v = passwordVariable(e.name);
    const passwords = [secret(v), secret(`${v}_PREVIOUS`)].filter((p): p is string => p !== null);
    if (passwords.some((p) => p.length < 16)) problems.push(`${v}: use at least 16 random characters`);
    return { env: e.name, passwords, drainTokens: own.drain_tokens, rules: own.rules };
  });
  return { retentionDays: value.retention_days, compareMinutes: value.compare_minutes, environments: out };
}
