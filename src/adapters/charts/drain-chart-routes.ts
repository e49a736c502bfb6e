import type { Config } from '../../config.ts';
import type { GuardPort } from '../../ports/guard.ts';
import type { Logger } from '../../ports/logger.ts';
import type { MetricsPort } from '../../ports/metrics.ts';
import type { ChartRoute } from './chart-route.ts';
import { guardBacktestChartRoutes } from './guard-backtest-chart-route.ts';
import { metricsChartRoutes } from './metrics-chart-route.ts';

/** The chart images drawn from the drain's minutes: `/autorisen metrics` and the guard backtest. */
export function drainChartRoutes(deps: {
  metrics: MetricsPort;
  /** The guard, once wired (read at request time). */
  guards: () => GuardPort | undefined;
  config: Pick<Config, 'charts' | 'slack' | 'logdrain'>;
  log: Logger;
}): ChartRoute[] {
  return [...metricsChartRoutes(deps), ...guardBacktestChartRoutes(deps)];
}
