import { z } from 'zod';

/** `release:` — how `/autorisen release` carries a commit from staging to production. */
export const releaseSchema = z
  .object({
    staging: z.string().min(1).default('staging'),
    production: z.string().min(1).default('production'),
    /** Minutes staging must stay free of new alerts before production is asked for. */
    staging_bake_minutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(10),
    /** Minutes production is watched after the promotion; an alert then makes the release "faulty". */
    production_bake_minutes: z
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(30),
    /** The OpenAPI document in the repository, compared with production's live /openapi.json. */
    spec_path: z.string().min(1).default('openapi.json'),
    /** Allow-listed tasks run on staging during a release, in order (names from `tasks:`). */
    tasks: z.array(z.string().min(1)).default([]),
  })
  .strict();

export type ReleaseConfig = {
  staging: string;
  production: string;
  stagingBakeMinutes: number;
  productionBakeMinutes: number;
  specPath: string;
  tasks: string[];
  /**
   * How long a bake minute lasts, in ms (default 60 000). Not in the file: only the shell's sandbox
   * shortens it (src/dev/sandbox.ts), so a simulated release bakes in seconds, not half an hour.
   */
  bakeMinuteMs?: number;
};

/** Validate `release:`; problems are collected, defaults returned when it is absent. */
export function readRelease(raw: unknown, envNames: readonly string[], problems: string[]): ReleaseConfig {
  const parsed = releaseSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`release.${issue.path.join('.')}: ${issue.message}`);
    return readRelease({}, envNames, []);
  }
  const r = parsed.data;
  for (const key of ['staging', 'production'] as const)
    if (raw !== undefined && !envNames.includes(r[key]))
      problems.push(`release.${key}: no environment is named "${r[key]}" (known: ${envNames.join(', ')})`);
  return {
    staging: r.staging,
    production: r.production,
    stagingBakeMinutes: r.staging_bake_minutes,
    productionBakeMinutes: r.production_bake_minutes,
    specPath: r.spec_path,
    tasks: r.tasks,
  };
}
