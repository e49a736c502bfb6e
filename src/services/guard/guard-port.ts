import type { Config } from '../../config.ts';
import type { GuardPort } from '../../ports/guard.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Store } from '../../ports/store.ts';
import { backtest } from './guard-backtest.ts';
import type { GuardService } from './guard-service.ts';

/** The guard as commands and Home see it (src/ports/guard.ts). */
export function createGuardPort(deps: {
  store: Store;
  config: Pick<Config, 'guard' | 'environments'>;
  clock: Clock;
  service: GuardService;
}): GuardPort {
  const { store, config, service } = deps;
  const settings = (env: string) => config.guard.environments.find((e) => e.env === env);
  return {
    enabled: (env) => settings(env)?.enabled === true,
    async active(env) {
      const now = deps.clock.now();
      const out = [];
      for (const guard of await store.guards.active(env)) {
        const cfg = settings(guard.env);
        out.push({
          guard,
          metrics: cfg?.thresholds.metrics ?? [],
          windowMinutes: cfg?.windowMinutes ?? 0,
          now: await service.verdictOf(guard, now),
        });
      }
      return out;
    },
    stop: (env, by) => service.stop(env, by),
    async backtest(env, since) {
      const cfg = settings(env);
      const e = config.environments.find((x) => x.name === env);
      if (!cfg || !e) throw new Error(`no environment named "${env}"`);
      return backtest(store, e, cfg, since, deps.clock.now());
    },
  };
}
