import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config.ts';
import type { Logger } from '../../ports/logger.ts';
import type { MetricsPort, MetricsReport } from '../../ports/metrics.ts';
import { chartKey } from '../../services/alerts/charts.ts';
import { METRICS_CHART_PATH, readMetricsChartFile } from '../../services/drain/metrics-report.ts';
import type { ChartRoute } from './chart-route.ts';
import { sendNoChart, sendPng } from './chart-route.ts';
import { type LineChartInput, lineChartPng } from './line-chart.ts';

/** Panels of the metrics chart, top to bottom: p95 latency (ms), 5xx (%), memory (% of quota), with rule lines. */
export function metricsChartInput(
  report: MetricsReport,
  rules: Config['logdrain']['environments'][number]['rules'] | null,
): LineChartInput {
  const p = report.points;
  const slot = (at: number) => Math.min(p.length - 1, Math.max(0, Math.floor((at - report.since) / 60_000)));
  return {
    panels: [
      { values: p.map((x) => x.p95), threshold: rules?.p95_latency ? rules.p95_latency.max_ms : null },
      {
        values: p.map((x) => (x.errorRatio === null ? null : x.errorRatio * 100)),
        threshold: rules?.error_ratio ? rules.error_ratio.max_percent : null,
      },
      {
        values: p.map((x) => (x.memoryRatio === null ? null : x.memoryRatio * 100)),
        threshold: rules?.memory_quota ? rules.memory_quota.max_percent : null,
      },
    ],
    markers: report.changes.map((c) => slot(c.at)),
  };
}

/**
 * `GET /charts/metrics/<env>.<from>.<to>.<sig>.png`: an environment's latency, 5xx and memory over
 * a window, with its changes marked, drawn from the store now. Public (Slack fetches it without
 * credentials), so the name is signed with the chart key; anything else is a plain 404.
 */
export function metricsChartRoutes(deps: {
  metrics: MetricsPort;
  config: Pick<Config, 'charts' | 'slack' | 'logdrain'>;
  log: Logger;
}): ChartRoute[] {
  const key = chartKey(deps.config);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const file = new URL(req.url ?? '/', 'http://localhost').pathname.slice(METRICS_CHART_PATH.length);
    const named = key ? readMetricsChartFile(key, file) : null;
    let report: MetricsReport | null = null;
    if (named) report = await deps.metrics.report(named.env, named.since, named.until).catch(() => null);
    if (!report) return sendNoChart(res);
    const rules = deps.config.logdrain.environments.find((e) => e.env === report.env)?.rules ?? null;
    const png = lineChartPng(metricsChartInput(report, rules));
    sendPng(req, res, png);
    deps.log.debug({ bytes: png.length, env: report.env }, 'served a metrics chart');
  };
  return [{ path: `${METRICS_CHART_PATH}:file`, method: ['GET', 'HEAD'], handler }];
}
