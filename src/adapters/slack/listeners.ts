import { randomUUID } from 'node:crypto';
import type { AckFn, App, BlockAction, ButtonAction, RespondArguments } from '@slack/bolt';
import { textMessage, type Message } from '../../core/message.ts';
import type { Dispatch, Dispatcher, Responder } from '../../core/transport.ts';
import { lazyChild } from '../../lazy-logger.ts';
import { toAppError } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import { renderResponse } from './blocks/render.ts';
import { ACK_BUDGET_MS } from './deadlines.ts';
import { confirmModal } from './blocks/confirm-modal.ts';
import { slackResponder } from './responder.ts';

/** The one slash command the app registers (manifest.yml). */
export const SLASH_COMMAND = '/autorisen';
/** Every button the bot renders has an action_id in this family (core/transport.ts). */
export const ACTION_ID_PATTERN = /^autorisen:/;

export interface ListenerDeps {
  dispatcher: Dispatcher;
  log: Logger;
  /** Registers in-flight work so a graceful stop can wait for it. */
  track(work: Promise<void>): void;
  ackBudgetMs?: number;
  /** Replies to clicks in the Home tab, which have no response_url (home-listeners.ts). */
  homeResponder?: (userId: string) => Responder;
}

/** Register the `/autorisen` command listener and the `autorisen:*` button listener on a Bolt app. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack, context, client }) => {
    const correlationId = randomUUID();
    const log = lazyChild(deps.log, {
      correlationId,
      userId: command.user_id,
      channelId: command.channel_id,
      kind: 'command',
    });
    const responder = slackResponder(command.response_url, log, false);
    const dispatching = deps.dispatcher.command({
      userId: command.user_id,
      channelId: command.channel_id,
      text: command.text ?? '',
      correlationId,
      responder,
      // trigger_id is unique per invocation and unchanged when Slack resends it, so it keys the dedup.
      ...(command.trigger_id ? { dedupKey: `${command.team_id}:${command.trigger_id}` } : {}),
      // A typed confirmation (break-glass) is a modal opened with this trigger_id (valid 3 s, once).
      ...(command.trigger_id
        ? {
            confirm: async (p) =>
              void (await client.views.open({ trigger_id: command.trigger_id, view: confirmModal(p) })),
          }
        : {}),
      ...(context.retryNum !== undefined
        ? { retry: { num: context.retryNum, reason: context.retryReason ?? null } }
        : {}),
    });
    await runTracked(deps, handleCommand(dispatching, ack, responder, log, deps.ackBudgetMs ?? ACK_BUDGET_MS));
  });

  app.action<BlockAction<ButtonAction>>(ACTION_ID_PATTERN, async ({ ack, body, action }) => {
    // Clicks are acked at once: the outcome goes to response_url (§A3, 3 s deadline).
    await ack();
    const correlationId = randomUUID();
    const channelId = body.channel?.id ?? body.container?.channel_id ?? '';
    const messageTs: string | null = body.container?.message_ts ?? body.message?.ts ?? null;
    const log = lazyChild(deps.log, {
      correlationId,
      userId: body.user.id,
      channelId,
      actionId: action.action_id,
      kind: 'action',
    });
    const fromHome = body.container?.type === 'view' && deps.homeResponder !== undefined;
    const responder = fromHome
      ? deps.homeResponder!(body.user.id)
      : slackResponder(body.response_url, log, messageTs !== null);
    const work = (async () => {
      let dispatch: Dispatch;
      try {
        dispatch = await deps.dispatcher.action({
          actionId: action.action_id,
          value: action.value ?? '',
          userId: body.user.id,
          channelId,
          messageTs,
          correlationId,
          responder,
        });
      } catch (err) {
        await replyFailure(err, responder, log);
        return;
      }
      if (dispatch.ack) await responder.reply(dispatch.ack);
      await awaitDone(dispatch, log);
    })();
    await runTracked(deps, work);
  });
}

async function handleCommand(
  dispatching: Promise<Dispatch>,
  ack: AckFn<string | RespondArguments>,
  responder: Responder,
  log: Logger,
  budgetMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), budgetMs);
  });
  const first = await Promise.race([
    dispatching.then(
      () => 'ready' as const,
      () => 'ready' as const,
    ),
    late,
  ]);
  clearTimeout(timer);
  let acked = false;
  if (first === 'late') {
    // Slack's 3 s deadline beats a slow dispatcher: ack empty now, deliver its ack by response_url.
    log.warn({ budgetMs }, 'dispatcher slower than the ack budget; acking empty');
    await ack();
    acked = true;
  }
  let dispatch: Dispatch;
  try {
    dispatch = await dispatching;
  } catch (err) {
    if (acked) return replyFailure(err, responder, log);
    const e = toAppError(err);
    log.error({ err }, 'dispatcher failed before the ack');
    return ack(renderResponse(textMessage(e.userMessage)));
  }
  if (!acked) await ack(dispatch.ack ? renderResponse(dispatch.ack) : undefined);
  else if (dispatch.ack) await responder.reply(dispatch.ack);
  await awaitDone(dispatch, log);
}

async function awaitDone(dispatch: Dispatch, log: Logger): Promise<void> {
  try {
    await dispatch.done;
  } catch (err) {
    log.error({ err }, 'follow-up work failed');
  }
}

async function replyFailure(err: unknown, responder: Responder, log: Logger): Promise<void> {
  const e = toAppError(err);
  log.error({ err }, 'dispatcher failed');
  const message: Message = textMessage(e.userMessage);
  await responder.reply(message);
}

async function runTracked(deps: ListenerDeps, work: Promise<void>): Promise<void> {
  deps.track(work);
  await work;
}
