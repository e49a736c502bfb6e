import { z } from 'zod';

/**
 * `probes:` — per environment, HTTP contract checks run after deploys, rollbacks, flag changes and
 * releases, and by `/autorisen verify <env>`. A probe may depend on the flag (`when_flag`), and may
 * carry a bearer token read from an environment variable (never from the file).
 */
export const probeSchema = z
  .object({
    name: z.string().min(1).optional(),
    method: z.enum(['GET', 'HEAD']).default('GET'),
    path: z.string().regex(/^\/[^\s]*$/, 'a path starting with "/"'),
    expect: z.number().int().min(100).max(599),
    when_flag: z.enum(['on', 'off', 'any']).default('any'),
    token_env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as PROBE_TOKEN')
      .optional(),
  })
  .strict();

export const probesSchema = z.record(z.string(), z.array(probeSchema)).default({});

/** One contract probe as the bot uses it: the token already read from the process environment. */
export interface Probe {
  name: string;
  method: 'GET' | 'HEAD';
  path: string;
  expect: number;
  whenFlag: 'on' | 'off' | 'any';
  /** Sent as `Authorization: Bearer …`; null for a probe without a token. */
  token: string | null;
  tokenEnv: string | null;
}

/** Validate `probes:`; problems go to `problems` (one line each), the result is usable either way. */
export function readProbes(
  raw: unknown,
  env: Record<string, string | undefined>,
  envNames: readonly string[],
  problems: string[],
): Record<string, Probe[]> {
  const parsed = probesSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`probes.${issue.path.join('.')}: ${issue.message}`);
    return {};
  }
  const out: Record<string, Probe[]> = {};
  for (const [name, list] of Object.entries(parsed.data)) {
    if (!envNames.includes(name)) {
      problems.push(`probes.${name}: no environment is named "${name}" (known: ${envNames.join(', ')})`);
      continue;
    }
    out[name] = list.map((p, i) => {
      const token = p.token_env ? (env[p.token_env]?.trim() ?? '') : null;
      if (p.token_env && !token) problems.push(`probes.${name}.${i}.token_env: ${p.token_env} is not set`);
      return {
        name: p.name ?? `${p.method} ${p.path}${p.token_env ? ' (with token)' : ''}`,
        method: p.method,
        path: p.path,
        expect: p.expect,
        whenFlag: p.when_flag,
        token: token || null,
        tokenEnv: p.token_env ?? null,
      };
    });
  }
  return out;
}
