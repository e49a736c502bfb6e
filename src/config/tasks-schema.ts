import { z } from 'zod';

/** Heroku dyno sizes a one-off task may ask for (Platform API `dyno.size`; Cedar names). */
const DYNO_SIZES = [
  'eco',
  'basic',
  'standard-1X',
  'standard-2X',
  'performance-M',
  'performance-L',
  'performance-L-RAM',
  'performance-XL',
  'performance-2XL',
] as const;

/**
 * Heroku's longest one-off dyno: `time_to_live` is "max 86400 seconds (24 hours)" (Platform API
 * schema, dyno.time_to_live); a larger value is refused with a 422.
 */
export const HEROKU_MAX_TIME_TO_LIVE_S = 86_400;
/** The dyno's own time_to_live is set this much past the bot's timeout, as a backstop should the bot be gone. */
export const TASK_TTL_MARGIN_S = 120;
/** The longest task timeout whose dyno Heroku still accepts (timeout + margin ≤ Heroku's maximum). */
export const MAX_TASK_TIMEOUT_S = HEROKU_MAX_TIME_TO_LIVE_S - TASK_TTL_MARGIN_S;

/**
 * `tasks:` — the allow-list of one-off tasks `/autorisen run <env> <task>` may start (issue 11
 * item 4): each with its fixed command (nobody types a command in Slack), dyno size, timeout and
 * the environments it may run on. A release runs the ones named in `release.tasks` on staging.
 */
export const taskSchema = z
  .object({
    command: z.string().trim().min(1),
    size: z.enum(DYNO_SIZES).default('standard-1X'),
    /** After this the bot stops the dyno and the run fails as timed out. */
    timeout_seconds: z
      .number()
      .int()
      .min(10)
      .max(MAX_TASK_TIMEOUT_S, {
        error: `at most ${MAX_TASK_TIMEOUT_S} (Heroku runs a one-off dyno ${HEROKU_MAX_TIME_TO_LIVE_S} s at most, and the bot asks for ${TASK_TTL_MARGIN_S} s past the timeout)`,
      })
      .default(900),
    environments: z.array(z.string().min(1)).min(1),
    description: z.string().min(1).optional(),
  })
  .strict();

export const tasksSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a task name: lower case letters, digits, "-" or "_"'),
    taskSchema,
  )
  .default({});

/** One allow-listed task as the bot uses it. */
export interface TaskConfig {
  name: string;
  command: string;
  size: string;
  timeoutSeconds: number;
  environments: string[];
  description: string | null;
}

/** Validate `tasks:` (and `release.tasks` against it); problems are collected, the result is usable either way. */
export function readTasks(
  raw: unknown,
  envNames: readonly string[],
  releaseTasks: { staging: string; tasks: readonly string[] },
  problems: string[],
): Record<string, TaskConfig> {
  const parsed = tasksSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`tasks.${issue.path.join('.')}: ${issue.message}`);
    return {};
  }
  const out: Record<string, TaskConfig> = {};
  for (const [name, t] of Object.entries(parsed.data)) {
    t.environments.forEach((e, i) => {
      if (!envNames.includes(e))
        problems.push(
          `tasks.${name}.environments.${i}: no environment is named "${e}" (known: ${envNames.join(', ')})`,
        );
    });
    out[name] = {
      name,
      command: t.command,
      size: t.size,
      timeoutSeconds: t.timeout_seconds,
      environments: t.environments,
      description: t.description ?? null,
    };
  }
  releaseTasks.tasks.forEach((name, i) => {
    const t = out[name];
    if (!t) problems.push(`release.tasks.${i}: no task is named "${name}" under tasks:`);
    else if (!t.environments.includes(releaseTasks.staging))
      problems.push(`release.tasks.${i}: task "${name}" may not run on ${releaseTasks.staging} (its environments)`);
  });
  return out;
}
