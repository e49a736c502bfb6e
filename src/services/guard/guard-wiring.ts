import type { Config } from '../../config.ts';
import { GUARD_ACTOR } from '../../core/guard/actor.ts';
import type { Message } from '../../core/message.ts';
import type { Role } from '../../core/roles.ts';
import type { Dispatcher } from '../../core/transport.ts';
import type { ChatPort } from '../../ports/chat.ts';
import type { Clock, Ids } from '../../ports/clock.ts';
import type { HerokuPort } from '../../ports/heroku.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import { discoverChanges } from './guard-discovery.ts';
import { createGuardPort } from './guard-port.ts';
import { createGuardService, type GuardService } from './guard-service.ts';
import type { GuardPort } from '../../ports/guard.ts';

/** How often guards look, unless every guarded environment asks for a longer look_seconds. */
export function guardLookMs(config: Pick<Config, 'guard'>): number {
  const on = config.guard.environments.filter((e) => e.enabled);
  return on.length === 0 ? 0 : Math.min(...on.map((e) => e.lookSeconds)) * 1000;
}

export interface GuardRuntime {
  service: GuardService;
  /** The timer that sweeps every look interval (none when `ms` or the config says 0). */
  timers(ms?: number): NodeJS.Timeout[];
  /** Start guards on new flag flips, then look at every active guard (what the timer runs). */
  sweep(now?: number): Promise<Record<string, string>>;
}

/**
 * The guard in the app (issue 21). Its kill switch is a `flag off` typed by the guard into the
 * dispatcher, as an operator: the same parse, lock takeover, read-back, audit row (actor "guard"),
 * flag history and announcement as a person's.
 */
export function wireGuard(base: {
  store: Store;
  config: Pick<Config, 'guard' | 'environments' | 'announceChannel' | 'charts' | 'slack'>;
  clock: Clock;
  ids: Ids;
  log: Logger;
  heroku: Pick<HerokuPort, 'getConfigVars'>;
  roleOverrides: Map<string, Role>;
  /** Where `/autorisen guard` finds the guard (ports.guards). */
  ports: { guards?: GuardPort };
  /** What exists only once the app is wired: the chat in use (null before start) and the dispatcher. */
  live: () => { chat: ChatPort | null; dispatcher: Dispatcher };
}): GuardRuntime {
  const deps = { ...base, chat: () => base.live().chat, dispatcher: () => base.live().dispatcher };
  deps.roleOverrides.set(GUARD_ACTOR, 'operator');
  const typed = async (text: string): Promise<string> => {
    const replies: Message[] = [];
    const d = await deps.dispatcher().command({
      userId: GUARD_ACTOR,
      channelId: deps.config.announceChannel ?? GUARD_ACTOR,
      text,
      correlationId: `guard-${deps.ids.next()}`,
      responder: { reply: async (m) => void replies.push(m) },
    });
    await d.done;
    return [d.ack, ...replies]
      .map((m) => m?.text ?? '')
      .filter(Boolean)
      .join('\n');
  };
  const service = createGuardService({
    ...deps,
    killSwitch: (env, reason) => typed(`flag off ${env} --reason "${reason}"`),
    // Opt-in for deploys and releases: the ordinary rollback (in production it asks for approval).
    rollback: (env) => typed(`rollback ${env}`),
  });
  deps.ports.guards = createGuardPort({ ...deps, service });
  const runtime: GuardRuntime = {
    service,
    timers(ms = guardLookMs(deps.config)) {
      return ms > 0 ? [setInterval(() => void runtime.sweep(), ms).unref()] : [];
    },
    async sweep(now = deps.clock.now()) {
      try {
        await discoverChanges({ ...deps, guards: service }, now);
      } catch (err) {
        deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'guard discovery failed');
      }
      // The timer does not await this: a rejection would be unhandled and end the process.
      try {
        return await service.lookAll(now);
      } catch (err) {
        deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'guard sweep failed');
        return {};
      }
    },
  };
  return runtime;
}
