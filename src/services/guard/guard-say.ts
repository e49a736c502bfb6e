import type { Config } from '../../config.ts';
import type { GuardEnvConfig } from '../../config/guard-schema.ts';
import { ago } from '../../core/drain/stats.ts';
import type { Message, MessageBlock } from '../../core/message.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { GuardRecord } from '../../ports/stores/guards.ts';
import { METRIC_NAMES } from '../../core/guard/guard-text.ts';

/**
 * What the guard tells people, and where: the change's thread when known, and the announce
 * channel for everything it does on its own (a trip, standing down, blindness). A post that fails
 * is logged; it never changes what the guard decided.
 */
export class GuardSay {
  constructor(
    private readonly deps: {
      config: Pick<Config, 'announceChannel' | 'environments'>;
      chat: () => ChatPort | null;
      clock: Clock;
      log: Logger;
    },
  ) {}

  private async post(g: GuardRecord, message: Message, announce: boolean): Promise<void> {
    const chat = this.deps.chat();
    if (!chat) return;
    const env = this.deps.config.environments.find((e) => e.name === g.env);
    const targets: { channel: string; threadTs?: string }[] = [];
    if (g.thread) targets.push({ channel: g.thread.channel, threadTs: g.thread.ts });
    const announceTo = this.deps.config.announceChannel ?? env?.deployChannel ?? null;
    if ((announce || !g.thread) && announceTo) targets.push({ channel: announceTo });
    for (const t of targets) {
      try {
        await chat.post(
          t.channel,
          { ...message, visibility: 'in_channel' },
          t.threadTs ? { threadTs: t.threadTs } : undefined,
        );
      } catch (err) {
        this.deps.log.warn(
          { err: err instanceof Error ? err.message : String(err), guard: g.id },
          'could not post the guard message',
        );
      }
    }
  }

  started(g: GuardRecord, cfg: GuardEnvConfig): Promise<void> {
    const what =
      g.action === 'flag_off' ? 'turn FEATURE_AUTORISEN off' : g.action === 'rollback' ? 'roll back' : 'tell you';
    const watched = cfg.thresholds.metrics.map((m) => METRIC_NAMES[m]).join(', ');
    return this.post(
      g,
      {
        text: `🛡️ [${g.env}] Guarding ${g.label} for ${cfg.windowMinutes} min: on a regression of ${watched} I will ${what}. \`/autorisen guard ${g.env}\` shows it; \`/autorisen guard stop ${g.env}\` ends it.`,
      },
      false,
    );
  }

  ended(g: GuardRecord, now: number): Promise<void> {
    const head = g.state === 'passed' ? '✅' : g.state === 'stood_down' ? '🤝' : '⏹️';
    return this.post(
      g,
      { text: `${head} [${g.env}] Guard of ${g.label} (${ago(now - g.startedAt)}) ended: ${g.note ?? g.state}.` },
      g.state !== 'passed',
    );
  }

  blind(g: GuardRecord, note: string): Promise<void> {
    return this.post(
      g,
      {
        text: `🙈 [${g.env}] The guard of ${g.label} is ${note}; it will not act on what it cannot see. Check the log drain.`,
      },
      true,
    );
  }

  alert(g: GuardRecord, what: string): Promise<void> {
    const action =
      g.action === 'flag_off' ? 'turns the flag off' : g.action === 'rollback' ? 'rolls back' : 'tells you';
    return this.post(
      g,
      {
        text: `🛡️ [${g.env}] An alert arrived while guarding ${g.label}: ${what}. The drain shows no regression the guard acts on yet; it ${action} if it does. \`/autorisen guard ${g.env}\` shows baseline against now.`,
      },
      false,
    );
  }

  tripped(g: GuardRecord, text: string, image: Extract<MessageBlock, { type: 'image' }> | null = null): Promise<void> {
    // The text stays complete on its own (the shell, notifications); the image is an addition.
    const blocks: MessageBlock[] = image ? [{ type: 'section', text }, image] : [];
    return this.post(g, { text, ...(image ? { blocks } : {}) }, true);
  }
}
