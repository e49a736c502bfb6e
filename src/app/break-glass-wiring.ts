import type { Config } from '../config.ts';
import type { CommandRegistry } from '../ports/command.ts';
import type { ChatPort } from '../ports/chat.ts';
import type { Logger } from '../ports/logger.ts';
import { createAnnouncer } from '../services/announce.ts';
import { BreakGlassDispatcher, type InnerDispatcher } from '../services/break-glass/break-glass-dispatcher.ts';
import { createReviews } from '../services/break-glass/review.ts';
import type { Ports } from '../services/context.ts';

/** How often open break-glass reviews look for a reminder that is due (each is sent once per interval). */
export const BREAK_GLASS_SWEEP_MS = 60_000;

/** Break-glass as the app holds it: the dispatcher the transports use, and the review reminders' sweep. */
export interface BreakGlassRuntime {
  readonly dispatcher: BreakGlassDispatcher;
  /** Send the review reminders that are due; how many were sent (tests call it on their clock). */
  sweep(): Promise<number>;
  /** The sweep on a timer; `ms` 0 = none (tests call sweep). */
  start(timers: NodeJS.Timeout[], ms?: number): void;
}

/** Break-glass (issue 23 §2) in front of the dispatcher, its reviews and their reminders. */
export function wireBreakGlass(d: {
  inner: InnerDispatcher;
  config: Pick<Config, 'announceChannel' | 'breakGlass'>;
  registry: CommandRegistry;
  ports: Ports;
  chat: ChatPort;
  log: Logger;
}): BreakGlassRuntime {
  const { config, ports, chat } = d;
  const log = d.log.child({ component: 'break-glass' });
  const reviews = createReviews({
    store: ports.store,
    chat: () => chat,
    clock: ports.clock,
    log,
    channel: config.breakGlass.reviewChannel ?? config.announceChannel,
    reminderMs: config.breakGlass.reviewReminderMinutes * 60_000,
  });
  const announcer = createAnnouncer(chat, config.announceChannel);
  const dispatcher = new BreakGlassDispatcher({ ...d, log, announcer, reviews });
  const sweep = () =>
    reviews.sweep().catch((err: unknown) => {
      log.warn({ err }, 'break-glass review reminders failed');
      return 0;
    });
  return {
    dispatcher,
    sweep,
    start(timers, ms = BREAK_GLASS_SWEEP_MS) {
      if (ms > 0) timers.push(setInterval(() => void sweep(), ms).unref());
    },
  };
}
