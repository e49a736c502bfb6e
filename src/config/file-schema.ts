import { z } from 'zod';
import type { EnvironmentConfig } from '../core/environment.ts';
import { alertsSchema } from './alerts-schema.ts';
import { approvalsSchema } from './approvals-schema.ts';
import { breakGlassSchema } from './break-glass-schema.ts';
import { diffSchema } from './diff-schema.ts';
import { driftSchema } from './drift-schema.ts';
import { environmentsSchema } from './environments-schema.ts';
import { rolesSchema } from './roles-schema.ts';
import { scheduleSchema } from './schedule-schema.ts';
import { channelId, strict } from './schema-kit.ts';

/**
 * The YAML config file: one strict schema made of the section schemas in this folder. A new
 * section is its own `<section>-schema.ts` (strict objects, exporting the schema and its type)
 * plus one line here; its parsed value then appears on `Config` under the same key.
 */
export const fileSchema = strict(
  {
    environments: environmentsSchema,
    roles: rolesSchema,
    approvals: approvalsSchema,
    alerts: alertsSchema,
    diff: diffSchema,
    announce_channel: channelId().optional(),
    drift: driftSchema,
    break_glass: breakGlassSchema,
    schedule: scheduleSchema,
    // Validated by their own readers (probes need the process env for tokens; release names environments).
    probes: z.unknown().optional(),
    release: z.unknown().optional(),
    logdrain: z.unknown().optional(),
    guard: z.unknown().optional(),
    tasks: z.unknown().optional(),
  },
  'a mapping at the top level',
).superRefine((file, ctx) => {
  // The drift digest (issue 23 §4) needs somewhere to post.
  if (file.drift && !file.drift.channel && !file.announce_channel)
    ctx.addIssue({
      code: 'custom',
      path: ['drift', 'channel'],
      message: 'required (or set announce_channel), expected a Slack channel id such as "C0123ABCD"',
    });
  // N-of-M approvals (issue 23 §5): a rule for a misspelt environment would silently not apply.
  for (const env of Object.keys(file.approvals.rules))
    if (!file.environments.some((e) => e.name === env))
      ctx.addIssue({ code: 'custom', path: ['approvals', 'rules', env], message: `no environment named "${env}"` });
  // Cross-section: a route may only name a configured environment.
  file.alerts.routes.forEach((r, i) => {
    if (r.env !== undefined && !file.environments.some((e) => e.name === r.env))
      ctx.addIssue({
        code: 'custom',
        path: ['alerts', 'routes', i, 'env'],
        message: `no environment named "${r.env}"`,
      });
  });
});

/** What the file parses to (the inferred type; src/config.ts builds `Config` from it). */
export type FileConfig = z.output<typeof fileSchema>;

// The schema must produce exactly the core's EnvironmentConfig, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameEnvironment: Same<FileConfig['environments'][number], EnvironmentConfig> = true;
void sameEnvironment;
