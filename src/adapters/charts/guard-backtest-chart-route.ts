import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config.ts';
import type { GuardPort } from '../../ports/guard.ts';
import type { Logger } from '../../ports/logger.ts';
import { chartKey } from '../../services/alerts/charts.ts';
import {
  backtestChartValues,
  GUARD_BACKTEST_CHART_PATH,
  readBacktestChartFile,
} from '../../services/guard/guard-backtest-chart.ts';
import { barChartPng } from './bar-chart.ts';
import type { ChartRoute } from './chart-route.ts';
import { sendNoChart, sendPng } from './chart-route.ts';

/**
 * `GET /charts/guard-backtest/<env>.<from>.<to>.<sig>.png`: the guard backtest's false trips per
 * day over that period, replayed from the store now. Public (Slack fetches it without
 * credentials), so the name is signed with the chart key; anything else is a plain 404.
 */
export function guardBacktestChartRoutes(deps: {
  /** The guard, once wired (read at request time). */
  guards: () => GuardPort | undefined;
  config: Pick<Config, 'charts' | 'slack'>;
  log: Logger;
}): ChartRoute[] {
  const key = chartKey(deps.config);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const file = new URL(req.url ?? '/', 'http://localhost').pathname.slice(GUARD_BACKTEST_CHART_PATH.length);
    const named = key ? readBacktestChartFile(key, file) : null;
    const guards = deps.guards();
    const report =
      named && guards ? await guards.backtest(named.env, named.since, named.until).catch(() => null) : null;
    if (!report) return sendNoChart(res);
    const png = barChartPng(backtestChartValues(report));
    sendPng(req, res, png);
    deps.log.debug({ bytes: png.length, env: report.env }, 'served a guard backtest chart');
  };
  return [{ path: `${GUARD_BACKTEST_CHART_PATH}:file`, method: ['GET', 'HEAD'], handler }];
}
