import { TASK_TTL_MARGIN_S, type TaskConfig } from '../../config/tasks-schema.ts';
import { exitStatusOf, logBlock } from '../../core/task-log.ts';
import { done, failed } from '../../core/workflow.ts';
import type { HerokuLogSession } from '../../ports/heroku.ts';
import type { Step, StepContext } from '../../services/workflows/types.ts';

/** Lines sent to the thread in one message at most (a long backfill posts several). */
const LINES_PER_MESSAGE = 40;

type Outcome = { kind: 'exited'; status: number; last: string | null } | { kind: 'timeout' };

/**
 * Run an allow-listed task on an environment: a detached one-off dyno with the task's fixed
 * command and size, its log followed into the thread, its exit status read from Heroku's
 * "Process exited with status N" line, and the dyno stopped when the timeout passes. The dyno's
 * name and deadline are saved before it is followed, so a restart re-opens the same log.
 */
/** A task that finished: the dyno it ran on, and its exit status (0). */
export interface TaskOutput {
  dyno: string;
  status: number;
}

interface TaskScratch {
  starting: boolean;
  dynoId: string;
  dynoName: string;
  deadline: number;
}

export function runTask(envName: string, task: TaskConfig): Step<TaskOutput, TaskScratch> {
  return {
    name: `task-${task.name}-${envName}`,
    title: `Run task ${task.name} on ${envName} (\`${task.command}\`, ${task.size}, timeout ${task.timeoutSeconds}s)`,
    async preview() {
      return `would start \`${task.command}\` on a detached ${task.size} one-off dyno and stream its log here`;
    },
    async run(ctx, state) {
      const { runDetached, openLogSession, stopDyno } = ctx.heroku;
      if (!runDetached || !openLogSession || !stopDyno)
        return failed('this connection to Heroku cannot start one-off dynos.', ['abandon']);
      const app = ctx.env(envName).herokuApp;
      let dynoName = state.scratch.dynoName;
      let deadline = state.scratch.deadline;
      if (!dynoName || deadline === undefined) {
        if (state.resumed && state.scratch.starting)
          return failed(
            `the bot restarted while starting ${task.name} on ${envName}, so whether its dyno began is unknown. Check \`heroku ps -a ${app}\`, then Retry or Abandon.`,
          );
        await ctx.save({ starting: true });
        const d = await runDetached.call(ctx.heroku, app, {
          command: task.command,
          size: task.size,
          timeToLiveSeconds: task.timeoutSeconds + TASK_TTL_MARGIN_S,
        });
        dynoName = d.name;
        deadline = ctx.clock.now() + task.timeoutSeconds * 1000;
        await ctx.save({ dynoId: d.id, dynoName, deadline });
        await ctx.say(`:gear: Started \`${task.command}\` on ${app} in dyno ${d.name} (${task.size}).`);
      }
      const name = dynoName;
      const outcome = await follow(ctx, () => openLogSession.call(ctx.heroku, app, name), name, deadline);
      if (outcome.kind === 'timeout') {
        const stopped = await stopDyno.call(ctx.heroku, app, name).then(
          () => true,
          (err: unknown) => (ctx.log.warn({ err, dyno: name }, 'stopping a timed-out task failed'), false),
        );
        return failed(
          stopped
            ? `${task.name} on ${envName} did not finish within ${task.timeoutSeconds}s; the bot stopped ${name}.`
            : `${task.name} on ${envName} did not finish within ${task.timeoutSeconds}s, and stopping ${name} failed: stop it with \`heroku ps:stop ${name} -a ${app}\`.`,
        );
      }
      if (outcome.status !== 0)
        return failed(
          `${task.name} on ${envName} exited with status ${outcome.status}${outcome.last ? ` (last line: ${outcome.last})` : ''}.`,
        );
      return done(
        { dyno: name, status: 0 },
        `:white_check_mark: ${task.name} on ${envName} finished (${name} exited with status 0).`,
      );
    },
  };
}

/** In place of a task the config no longer allows: the run stops there rather than skip it. */
export function missingTask(name: string, envName: string): Step<TaskOutput> {
  return {
    name: `task-${name}-${envName}`,
    title: `Run task ${name} on ${envName}`,
    run: async () =>
      failed(`the task ${name} is no longer allowed (config \`tasks:\`); nothing was started.`, ['abandon']),
  };
}

/**
 * Follow the dyno's log until its exit line or the deadline (on the injected clock), posting the
 * lines in batches. A session that ends early (logplex closes idle tails) is opened again; lines
 * already posted in this process are not posted twice.
 */
async function follow(
  ctx: StepContext<object>,
  open: () => Promise<HerokuLogSession>,
  dynoName: string,
  deadline: number,
): Promise<Outcome> {
  const seen = new Set<string>();
  let pending: string[] = [];
  // Set by the reader while the lines arrive; an object, so the loop below reads what the reader wrote.
  const seenExit: { exit: { status: number; last: string | null } | null } = { exit: null };
  let lastOutput: string | null = null;
  const open_: { session: HerokuLogSession | null } = { session: null };
  let reading: Promise<void> | null = null;
  const read = async (s: HerokuLogSession) => {
    for await (const line of s.lines) {
      if (seen.has(line)) continue;
      seen.add(line);
      pending.push(line);
      const status = exitStatusOf(line, dynoName);
      if (status !== null) {
        seenExit.exit = { status, last: lastOutput };
        return;
      }
      if (!line.includes(`heroku[${dynoName}]`)) lastOutput = line.replace(/^.*?\]:\s*/, '');
    }
  };
  const flush = async () => {
    while (pending.length > 0) {
      const batch = pending.slice(0, LINES_PER_MESSAGE);
      pending = pending.slice(LINES_PER_MESSAGE);
      await ctx.say(logBlock(batch));
    }
  };
  try {
    for (;;) {
      if (!reading) {
        const session = await open();
        open_.session = session;
        reading = read(session).finally(() => {
          reading = null;
        });
        reading.catch((err: unknown) => ctx.log.warn({ err }, 'task log stream broke off; reopening'));
      }
      await ctx.pause(ctx.pollMs);
      await flush();
      if (seenExit.exit) return { kind: 'exited', ...seenExit.exit };
      if (ctx.clock.now() >= deadline) return { kind: 'timeout' };
    }
  } finally {
    open_.session?.close();
    await flush().catch(() => undefined);
  }
}
