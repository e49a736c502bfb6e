import type { Caller } from '../../core/command.ts';
import type { ActionCommand } from '../../ports/command.ts';
import { parseCommandText } from '../../core/command-line.ts';
import { lockedMessage } from '../../core/deploys.ts';
import { textMessage } from '../../core/message.ts';
import type { CommandRegistry } from '../../ports/command.ts';
import { AppError, logFailure } from '../../errors.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Logger } from '../../ports/logger.ts';
import type { BreakGlassRecord } from '../../ports/stores/break-glass.ts';
import type { Announcer } from '../announce.ts';
import { audit } from '../audit.ts';
import { buildContext, type Ports } from '../context.ts';
import { createProgress } from '../progress.ts';
import type { Reviews } from './review.ts';
import { emergencyNotice } from './texts.ts';

export interface RunDeps {
  registry: CommandRegistry;
  ports: Ports;
  chat: ChatPort;
  log: Logger;
  announcer: Announcer;
  reviews: Reviews;
}

/** The command line stored with the request, parsed again: what runs is what was typed. */
function commandOf(registry: CommandRegistry, text: string): { cmd: ActionCommand; input: unknown } {
  const parsed = parseCommandText(registry, text);
  if (!parsed.ok || parsed.command.kind !== 'action')
    throw new AppError('internal', 'The break-glass command line no longer parses; nothing was run.');
  return { cmd: parsed.command, input: parsed.input };
}

/**
 * Run a confirmed break-glass change (claimed once by compare-and-set): the plan, the lock (a locked
 * environment still refuses), the emergency notice, then `execute` as an approved change would,
 * with no second person. Backups, gates and the guard are the command's and the workflow's own, so
 * they run as always. The review opens once anything may have changed.
 */
export async function runConfirmed(
  deps: RunDeps,
  rec: BreakGlassRecord,
  caller: Caller,
  correlationId: string,
): Promise<void> {
  const { store, clock } = deps.ports;
  const log = deps.log.child({ correlationId, userId: rec.actorId, breakGlass: rec.id });
  const base = {
    at: clock.now(),
    correlationId,
    actorId: rec.actorId,
    channelId: rec.channelId,
    command: rec.command,
    args: rec.commandText,
    env: rec.env,
  };
  const tell = (text: string) =>
    deps.chat
      .ephemeral(rec.channelId, rec.actorId, textMessage(text))
      .catch((err: unknown) => log.warn({ err }, 'could not tell the break-glass actor'));
  let executed = false;
  try {
    if (caller.role !== 'admin')
      throw new AppError('forbidden', 'You are no longer an admin, so the break-glass change was not run.');
    const { cmd, input } = commandOf(deps.registry, rec.commandText);
    const progress = createProgress(deps.chat, rec.channelId, log);
    const ctx = {
      ...buildContext(deps.ports, caller, correlationId, log, progress),
      breakGlass: { id: rec.id, actorId: rec.actorId, reason: rec.reason },
    };
    const plan = await cmd.plan(input, ctx);
    if (plan.noop) {
      await store.breakGlass.finish(rec.id, `nothing to do: ${plan.noop}`, null);
      await audit(store, log, { ...base, action: 'break_glass', result: 'noop', detail: plan.noop });
      return void (await tell(`:information_source: ${plan.noop} Nothing was run.`));
    }
    // Break-glass never skips a lock: a change in flight (or a manual lock) refuses it, as always.
    const lock = await store.locks.get(rec.env, clock.now());
    if (lock) throw new AppError('locked', `${lockedMessage(rec.env, lock)} Break-glass does not skip a lock.`);
    await deps.chat
      .post(deps.announcer.channel ?? rec.channelId, emergencyNotice(rec))
      .catch((err: unknown) => log.warn({ err }, 'could not post the break-glass emergency notice'));
    await audit(store, log, { ...base, action: 'break_glass', result: 'confirmed', detail: `reason: ${rec.reason}` });
    executed = true;
    const outcome = await cmd.execute(plan, input, ctx);
    await audit(store, log, {
      ...base,
      action: 'execute',
      result: outcome.ok ? 'ok' : 'failed',
      detail: `break-glass: ${outcome.summary}`,
      durationMs: clock.now() - base.at,
    });
    await deps.chat
      .ephemeral(rec.channelId, rec.actorId, outcome.message)
      .catch((err: unknown) => log.warn({ err }, 'could not tell the break-glass actor'));
    const told = outcome.announcedIn != null && outcome.announcedIn === deps.announcer.channel;
    if (!told) await deps.announcer.announce(rec.channelId, { text: outcome.message.text }, log);
    await deps.reviews.open(rec, outcome.summary);
  } catch (err) {
    const e = logFailure(log, err, 'break-glass change failed');
    await audit(store, log, { ...base, action: 'break_glass', result: 'error', detail: `${e.code}: ${e.userMessage}` });
    await tell(`:x: ${e.userMessage}`);
    // Refused before anything ran: nothing to review. Failed while running: something may have changed.
    if (executed) await deps.reviews.open(rec, `failed: ${e.userMessage}`);
    else await store.breakGlass.finish(rec.id, `refused: ${e.userMessage}`, null);
  }
}
