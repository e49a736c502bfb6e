import type { TaskConfig } from '../config/tasks-schema.ts';
import { AppError } from '../errors.ts';
import type { WorkflowDef, WorkflowSettings } from '../services/workflows/types.ts';
import { runTask } from './steps/task.ts';

/** What `/autorisen run <env> <task>` asks for. */
export interface TaskRequest {
  env: string;
  task: string;
}

/** The persisted input: the task, configured the way it was when asked for (a restart runs the same command). */
export interface TaskInput {
  env: string;
  task: TaskConfig;
}

/** The allow-list check: only a task named in `tasks:`, and only on an environment it lists. */
export function allowedTask(settings: WorkflowSettings, req: TaskRequest): TaskConfig {
  const known = Object.keys(settings.tasks);
  const task = settings.tasks[req.task];
  if (!task)
    throw new AppError(
      'not_found',
      known.length === 0
        ? `No task is allowed: the config has no \`tasks:\` section, so "${req.task}" cannot run.`
        : `"${req.task}" is not an allowed task. Allowed: ${known.join(', ')} (config \`tasks:\`).`,
    );
  if (!task.environments.includes(req.env))
    throw new AppError(
      'usage',
      `Task ${task.name} may not run on ${req.env}; it may run on ${task.environments.join(', ')} (config \`tasks.${task.name}.environments\`).`,
    );
  return task;
}

/** `/autorisen run`: one allow-listed task on one environment, run by a one-step workflow (the same step a release uses). */
export const taskWorkflow = (settings: WorkflowSettings): WorkflowDef<TaskInput, TaskRequest> => ({
  name: 'task',
  prepare: (r) => ({ env: r.env, task: allowedTask(settings, r) }),
  command: 'run',
  env: (i) => i.env,
  locks: (i) => [i.env],
  title: (i) => `Task ${i.task.name} on ${i.env}`,
  steps: (i) => [runTask(i.env, i.task)],
});
