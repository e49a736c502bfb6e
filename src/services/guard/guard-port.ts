import type { Config } from '../../config.ts';
import type { GuardPort } from '../../ports/guard.ts';
import type { Clock } from '../../ports/clock.ts';
import type { Store } from '../../ports/store.ts';
import { chartKey } from '../alerts/charts.ts';
import { backtest } from './guard-backtest.ts';
import { backtestChartFile, GUARD_BACKTEST_CHART_PATH } from './guard-backtest-chart.ts';
import type { GuardService } from './guard-service.ts';

/** The guard as commands and Home see it (src/ports/guard.ts). */
export function createGuardPort(deps: {
  store: Store;
  config: Pick<Config, 'guard' | 'environments' | 'charts' | 'slack'>;
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
    async backtest(env, since, until = deps.clock.now()) {
      const cfg = settings(env);
      const e = config.environments.find((x) => x.name === env);
      if (!cfg || !e) throw new Error(`no environment named "${env}"`);
      const report = await backtest(store, e, cfg, since, until);
      const base = config.charts.publicUrl;
      const key = chartKey(config);
      const file = key ? backtestChartFile(key, env, since, until) : null;
      return { ...report, chartUrl: base && file ? `${base}${GUARD_BACKTEST_CHART_PATH}${file}` : null };
    },
  };
}
