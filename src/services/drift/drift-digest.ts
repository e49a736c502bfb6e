import type { DriftSection } from '../../config/drift-schema.ts';
import type { Message } from '../../core/message.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock } from '../../ports/clock.ts';
import { audit } from '../audit.ts';
import { gatherDrift, type DriftSources } from './drift-facts.ts';
import { digestMessage, driftLines } from './drift-findings.ts';

const DAY_MS = 86_400_000;

/** What one look at the clock did (tests and the shell's `/drift` read it). */
export type DigestTick = 'not_yet' | 'done_today' | 'nothing_drifts' | 'posted';

export interface DriftDigest {
  /** Post today's digest if its time has come and no instance has posted it yet. */
  tick(): Promise<DigestTick>;
  /** Today's digest now, claiming nothing (the shell's `/drift [days]`; days overrides after_days); null: nothing drifts. */
  preview(afterDays?: number): Promise<Message | null>;
}

export interface DriftDigestDeps extends DriftSources {
  settings: NonNullable<DriftSection>;
  /** settings.channel, else announce_channel (the config requires one of them). */
  channel: string;
  clock: Clock;
  chat: () => ChatPort;
}

/**
 * The daily drift digest (issue 23 §4), on the injected clock: from `settings.minuteOfDay` (UTC)
 * on, the first look of the day claims that day in the shared dedup store, so with several
 * instances (or a restart) it is posted once a day. Nothing is posted when nothing drifts; the day
 * is claimed all the same.
 */
export function createDriftDigest(d: DriftDigestDeps): DriftDigest {
  return {
    async tick() {
      const now = d.clock.now();
      const day = new Date(now).toISOString().slice(0, 10);
      if (now % DAY_MS < d.settings.minuteOfDay * 60_000) return 'not_yet';
      if (!(await d.store.dedup.claim(`drift-digest:${day}`, now, 2 * DAY_MS))) return 'done_today';
      const facts = await gatherDrift(d, now);
      const lines = facts ? driftLines(facts, now, d.settings) : [];
      const entry = {
        at: now,
        correlationId: `drift:${day}`,
        actorId: 'autorisen',
        channelId: d.channel,
        command: 'drift',
        action: 'digest',
      };
      if (lines.length === 0) {
        await audit(d.store, d.log, { ...entry, result: 'noop', detail: 'nothing drifts' });
        return 'nothing_drifts';
      }
      await d.chat().post(d.channel, digestMessage(lines, day));
      await audit(d.store, d.log, { ...entry, result: 'ok', detail: lines.map((l) => l.kind).join(', ') });
      return 'posted';
    },
    async preview(afterDays) {
      const now = d.clock.now();
      const facts = await gatherDrift(d, now);
      const settings = { ...d.settings, ...(afterDays !== undefined ? { afterDays } : {}) };
      const lines = facts ? driftLines(facts, now, settings) : [];
      return lines.length === 0 ? null : digestMessage(lines, new Date(now).toISOString().slice(0, 10));
    },
  };
}
