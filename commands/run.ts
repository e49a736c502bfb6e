import { requireEnvironment } from '../src/core/environment.ts';
import type { ActionCommand } from '../src/ports/command.ts';
import { workflowsOf } from '../src/ports/workflow-command.ts';

/** `/autorisen run <env> <task>`: only a task named in the config, never a command typed in Slack. */
export interface RunCommandInput {
  env: string;
  task: string;
}

/** `/autorisen run <env> <task> [--dry-run]`: an allow-listed one-off task on a detached dyno, its log in the thread. */
export const runCommand: ActionCommand<RunCommandInput> = {
  kind: 'action',
  name: 'run',
  queueable: true,
  summary: 'Run an allow-listed one-off task (backfill, check) on a detached dyno; its log streams into the thread',
  usage: 'run <env> <task> [--dry-run]',
  examples: ['run staging backfill', 'run production verify-backfill --dry-run'],
  permission: 'operator',
  // Production (and any environment that requires approval) needs a second person.
  approval: (_input, env) => env?.production === true || env?.requiresApproval === true,
  envOf: (input) => input.env,
  maxPositionals: 2,
  parse(args) {
    const [env, task, ...extra] = args.positional;
    if (!env || !task) return { ok: false, error: 'Which environment and task? e.g. `run staging backfill`.' };
    if (extra.length > 0)
      return { ok: false, error: `run takes an environment and one task; got "${extra.join(' ')}" as well.` };
    const unknown = Object.keys(args.flags).filter((f) => f !== 'dry-run');
    if (unknown.length > 0)
      return { ok: false, error: `run does not know --${unknown.join(', --')}; it takes --dry-run.` };
    return { ok: true, input: { env, task } };
  },
  async plan(input, ctx) {
    const env = requireEnvironment(ctx, input.env);
    // The workflow's prepare is the allow-list check: an unknown task or environment stops here, with nothing started.
    const lines = await workflowsOf(ctx).preview('task', { env: env.name, task: input.task }, ctx);
    return {
      title: `Run task ${input.task} on ${env.name}`,
      lines,
      warnings: env.production ? ['This runs on production; a second operator must approve.'] : [],
      env: env.name,
      data: { env: env.name, task: input.task },
      fingerprint: `${env.name}:${input.task}`,
    };
  },
  async execute(plan, _input, ctx) {
    return workflowsOf(ctx).start('task', plan.data, ctx);
  },
};
