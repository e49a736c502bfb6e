import type { Caller } from '../../core/command.ts';
import { textMessage, type Message } from '../../core/message.ts';
import { mention, md } from '../../core/mrkdwn.ts';
import { roleAtLeast } from '../../core/roles.ts';
import type { ActionRequest } from '../../core/transport.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import type { BreakGlassRecord } from '../../ports/stores/break-glass.ts';
import { audit } from '../audit.ts';
import { reminderMessage, reviewedMessage, reviewMessage } from './texts.ts';

export interface ReviewDeps {
  store: Store;
  chat: () => ChatPort;
  clock: Clock;
  log: Logger;
  /** Where reviews are asked (config break_glass.review_channel, else announce_channel); null: where it ran. */
  channel: string | null;
  reminderMs: number;
}

/**
 * The review a break-glass change asks for afterwards (issue 23 §2): a message with "Acknowledge
 * review", reminders until someone other than the actor acknowledges it. The state is in the store
 * (migration 130), so a restart keeps it; each reminder is claimed by compare-and-set, so several
 * instances send it once.
 */
export function createReviews(deps: ReviewDeps) {
  const { store, clock, log } = deps;
  return {
    /** The change ran (or tried to): open its review and post the message with the button. */
    async open(rec: BreakGlassRecord, outcome: string): Promise<void> {
      const now = clock.now();
      await store.breakGlass.finish(rec.id, outcome, now + deps.reminderMs);
      const channel = deps.channel ?? rec.channelId;
      try {
        const ref = await deps.chat().post(channel, reviewMessage(rec, outcome));
        await store.breakGlass.setReviewMessage(rec.id, ref.channel, ref.ts);
      } catch (err) {
        // The reminders post it again; the review stays open in the store either way.
        log.warn({ err, id: rec.id }, 'could not post the break-glass review message');
      }
    },

    /** "Acknowledge review": anyone but the actor with the operator role or more. */
    async acknowledge(req: ActionRequest, caller: Caller): Promise<Message> {
      const now = clock.now();
      const base = {
        at: now,
        correlationId: req.correlationId,
        actorId: caller.userId,
        channelId: req.channelId,
        command: 'break-glass review',
        args: req.value,
      };
      const rec = await store.breakGlass.get(req.value);
      if (!rec) return textMessage(':x: That break-glass change is not known here; nothing was acknowledged.');
      const deny = async (why: string) => {
        await audit(store, log, { ...base, env: rec.env, action: 'deny', result: 'denied', detail: why });
        return textMessage(`:no_entry: ${why}`);
      };
      if (!roleAtLeast(caller.role, 'operator'))
        return deny('Reviewing a break-glass change needs the operator role or more.');
      if (caller.userId === rec.actorId)
        return deny(
          'You ran this break-glass change, so you cannot review it yourself; another operator or admin has to acknowledge it.',
        );
      const done = await store.breakGlass.acknowledge(rec.id, caller.userId, now);
      if (!done) {
        const by = rec.reviewedBy ? md` by ${mention(rec.reviewedBy)}` : '';
        return textMessage(`:information_source: This break-glass change was acknowledged already${by}.`);
      }
      await audit(store, log, {
        ...base,
        env: rec.env,
        action: 'break_glass_review',
        result: 'ok',
        detail: `acknowledged break-glass ${rec.id} by ${rec.actorId}`,
      });
      if (done.reviewChannel && done.reviewTs)
        await deps
          .chat()
          .update({ channel: done.reviewChannel, ts: done.reviewTs }, reviewedMessage(done))
          .catch((err: unknown) => log.warn({ err }, 'could not rewrite the break-glass review message'));
      return textMessage(md`:white_check_mark: You acknowledged the break-glass review of \`${rec.commandText}\`.`);
    },

    /** Remind every open review that is due; each reminder is claimed once across instances. Returns how many were sent. */
    async sweep(): Promise<number> {
      const now = clock.now();
      let sent = 0;
      for (const rec of await store.breakGlass.dueReviews(now)) {
        if (!(await store.breakGlass.claimReminder(rec.id, now, now + deps.reminderMs))) continue;
        const channel = rec.reviewChannel ?? deps.channel ?? rec.channelId;
        const thread = rec.reviewTs && rec.reviewChannel === channel ? { threadTs: rec.reviewTs } : undefined;
        try {
          await deps.chat().post(channel, reminderMessage(rec), thread);
          sent++;
        } catch (err) {
          log.warn({ err, id: rec.id }, 'could not post a break-glass review reminder');
        }
      }
      return sent;
    },
  };
}

export type Reviews = ReturnType<typeof createReviews>;
