import type { CommandContext } from '../../ports/command.ts';
import { queueable, queueMeButton, withoutQueueOption } from '../../core/lock-queue.ts';
import type { Message } from '../../core/message.ts';
import { md } from '../../core/mrkdwn.ts';
import type { AnyCommand } from '../../ports/command.ts';
import type { AppError } from '../../errors.ts';

/** What the dispatcher says and audits instead of a bare refusal (issue 23 §3). */
export interface LockedAnswer {
  reply: Message;
  auditResult: string;
  detail: string;
}

/**
 * A change refused because an environment is locked: with `--queue` it joins that environment's
 * queue (first in, first out; told when the lock is released); without, the refusal offers "Queue
 * me", which runs the same line with `--queue`. The environment is the one whose lock refused it
 * (`AppError.env`), not necessarily the command's own: a release takes staging's lock and
 * production's, and waiting in production's queue while staging is held would never end in a turn.
 * Null when the command cannot queue (the kill switch never does) or no environment is known: the
 * plain refusal stands.
 */
export async function answerLocked(
  cmd: AnyCommand,
  input: unknown,
  e: AppError,
  ctx: CommandContext,
  request: { args: string; queue?: boolean | undefined },
): Promise<LockedAnswer | null> {
  if (cmd.kind !== 'action' || !queueable(cmd)) return null;
  const envName = e.env ?? cmd.envOf(input);
  const env = envName ? ctx.env(envName) : undefined;
  if (!env) return null;
  const refusal = `${e.code}: ${e.userMessage}`;
  if (!request.queue) {
    return {
      reply: {
        text: `:x: ${e.userMessage}\n${md`Or wait your turn: *Queue me* tells you when ${env.name}'s lock is released.`}`,
        buttons: [queueMeButton(request.args)],
      },
      auditResult: 'error',
      detail: refusal,
    };
  }
  const commandText = withoutQueueOption(request.args);
  const { entry, position, added } = await ctx.store.lockQueue.enqueue({
    id: ctx.ids.next(),
    env: env.name,
    userId: ctx.caller.userId,
    channelId: ctx.caller.channelId,
    commandText,
    queuedAt: ctx.clock.now(),
  });
  const already = added ? '' : ' (you were already in it)';
  const text =
    // The refusal is the bot's own text (its mentions stay live; the lock's reason is escaped in it).
    `:hourglass_flowing_sand: ${e.userMessage}\n` +
    md`You are number ${position} in the queue for ${env.name}${already}. When the lock is released you will be told here and in a DM, with *Run now* to run \`${entry.commandText}\` then.`;
  return { reply: { text }, auditResult: 'queued', detail: `queued #${position} for ${env.name}: ${refusal}` };
}
