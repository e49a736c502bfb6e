import type { QueryCommand } from '../src/ports/command.ts';
import { QUEUE_TURN_MS } from '../src/core/lock-queue.ts';
import { ago } from '../src/core/drain/stats.ts';
import type { Message } from '../src/core/message.ts';
import { md, mention } from '../src/core/mrkdwn.ts';

/** `/autorisen locks`: who holds each environment's lock, why, for how long, and who waits for it (issue 23 §3). */
export const locksCommand: QueryCommand<Record<string, never>> = {
  kind: 'query',
  name: 'locks',
  summary: "Every environment's lock: holder, reason, age, and the queue waiting for it",
  usage: 'locks',
  examples: ['locks'],
  permission: 'viewer',
  maxPositionals: 0,
  parse: () => ({ ok: true, input: {} }),
  async run(_input, ctx): Promise<Message> {
    const now = ctx.clock.now();
    const sections: string[] = [];
    for (const env of ctx.environments) {
      const lock = await ctx.store.locks.get(env.name, now);
      const head = lock
        ? md`:lock: *${env.name}*: locked by ${mention(lock.holderId)} (${lock.kind}) ${ago(now - lock.acquiredAt)}: ${lock.reason}`
        : md`:unlock: *${env.name}*: free`;
      const lines = [head];
      const turn = await ctx.store.lockQueue.currentTurn(env.name);
      if (turn?.notifiedAt != null && turn.notifiedAt > now - QUEUE_TURN_MS)
        lines.push(
          md`      Turn: ${mention(turn.userId)}, told ${ago(now - turn.notifiedAt)}: \`${turn.commandText}\``,
        );
      const waiting = await ctx.store.lockQueue.waiting(env.name);
      for (const [i, w] of waiting.entries())
        lines.push(md`      ${i + 1}. ${mention(w.userId)} since ${ago(now - w.queuedAt)}: \`${w.commandText}\``);
      if (waiting.length === 0 && lock) lines.push('      Nobody is queued.');
      sections.push(lines.join('\n'));
    }
    const text = `*Locks and queues*\n${sections.join('\n')}`;
    return { text, blocks: sections.map((s) => ({ type: 'section' as const, text: s })) };
  },
};
