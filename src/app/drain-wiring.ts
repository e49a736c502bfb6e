import type { Config } from '../config.ts';
import type { Role } from '../core/roles.ts';
import type { Shell } from '../dev/shell.ts';
import type { ChatPort } from '../ports/chat.ts';
import type { Clock, Ids } from '../ports/clock.ts';
import type { HerokuPort } from '../ports/heroku.ts';

import type { Logger } from '../ports/logger.ts';
import type { Store } from '../ports/store.ts';
import type { Ports } from '../services/context.ts';
import type { CommandDispatcher } from '../services/dispatch/dispatcher.ts';
import { createDrainWatch } from '../services/drain/watch.ts';
import { wireGuard } from '../services/guard/guard-wiring.ts';
import { createLogdrainIntake } from '../services/drain/logdrain-intake.ts';

/**
 * The log drain's intake and threshold watch (issue 12), the guard that reads the same minutes
 * (issue 21), and the shell's `/drain-replay`. Follow-ups go through the alert chat in HTTP/Socket
 * mode (`useChat` once it exists), the shell's otherwise.
 */
export function wireDrain(d: {
  config: Config;
  store: Store;
  clock: Clock;
  ids: Ids;
  log: Logger;
  heroku: HerokuPort;
  ports: Ports;
  roleOverrides: Map<string, Role>;
  shell: Shell | null;
  shellChat: ChatPort | null;
  poke: () => void;
  dispatcher: () => CommandDispatcher;
}) {
  const { config, store, clock, ids, log } = d;
  let drainChat: ChatPort | null = d.shellChat;
  const drainWatch = createDrainWatch({
    store,
    config,
    clock,
    ids,
    log,
    chat: () => drainChat,
    onAlert: d.poke,
    allEnvironments: config.mode === 'shell',
  });
  // After `flag on`, the guard watches the drain and may run the kill switch through the dispatcher.
  const live = () => ({ chat: drainChat, dispatcher: d.dispatcher() });
  const guard = wireGuard({
    store,
    clock,
    ids,
    heroku: d.heroku,
    config,
    log,
    roleOverrides: d.roleOverrides,
    ports: d.ports,
    live,
  });
  const drainIntake = createLogdrainIntake({ store, log, retentionMs: config.logdrain.retentionDays * 86_400_000 });
  // Loaded at its first use, like the rest of src/dev (app/dev-kit.ts): only the shell has the command.
  d.shell?.addCommand('/drain-replay', async (args) =>
    (await import('../dev/drain-replay.ts')).replayDrain(args, {
      sink: drainIntake,
      envs: config.environments.map((e) => e.name),
      defaultEnv: (config.environments.find((e) => e.production) ?? config.environments[0])?.name ?? '',
      now: () => clock.now(),
      // A replayed regression after a flip trips the guard at once.
      afterwards: () => drainWatch.sweep().then(async () => void (await guard.sweep())),
    }),
  );
  return {
    drainWatch,
    drainIntake,
    guard,
    /** The alert chat, once Slack is up: threshold alerts and guard notices go there. */
    useChat(chat: ChatPort) {
      drainChat = chat;
    },
  };
}
