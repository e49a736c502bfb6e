import type { Config } from '../../config.ts';
import type { MetricsPort, MetricsReport } from '../../ports/metrics.ts';
import type { Store } from '../../ports/store.ts';
import { chartKey } from '../alerts/charts.ts';
import { minuteStart } from './aggregate.ts';
import { changesBetween } from './changes.ts';
import { summarize } from './summary.ts';
import { compareAround } from './window.ts';
import { readSignedWindowFile, signedWindowFile } from '../signed-chart-file.ts';

/** Where metrics charts are served: `${METRICS_CHART_PATH}<env>.<from>.<to>.<sig>.png`. */
export const METRICS_CHART_PATH = '/charts/metrics/';

const MINUTE = 60_000;
/** Longest window a chart or report covers (a week of minutes is ~10k points, still cheap). */
export const MAX_METRICS_WINDOW_MS = 7 * 24 * 60 * MINUTE;

/** The unguessable file name of a chart: only the bot can make one, for exactly this env and window. */
export function metricsChartFile(key: Buffer, env: string, since: number, until: number): string {
  return signedWindowFile(key, 'metrics', env, since, until);
}

/** The env and window a chart file names, or null when it is malformed or not signed by us. */
export function readMetricsChartFile(key: Buffer, file: string): { env: string; since: number; until: number } | null {
  return readSignedWindowFile(key, 'metrics', file, MAX_METRICS_WINDOW_MS);
}

/** `/autorisen metrics` reports from the drain store, changes and comparisons included. */
export function createMetricsReports(deps: {
  store: Pick<Store, 'drainMetrics' | 'workflows' | 'releases'>;
  config: Pick<Config, 'environments' | 'logdrain' | 'charts' | 'slack'>;
  /** The advice for an environment with no data when the transport has its own way to get some (the shell). */
  noDataHint?: (env: string) => string;
}): MetricsPort {
  const key = chartKey(deps.config);
  return {
    async report(envName, since, until): Promise<MetricsReport> {
      const env = deps.config.environments.find((e) => e.name === envName);
      if (!env) throw new Error(`no environment "${envName}"`);
      const from = minuteStart(since);
      const rows = await deps.store.drainMetrics.minutes(env.name, from, until);
      const byMinute = new Map(rows.map((r) => [r.minute, r]));
      const points: MetricsReport['points'] = [];
      for (let m = from; m < until; m += MINUTE) {
        const row = byMinute.get(m);
        const s = row ? summarize([row]) : null;
        points.push({
          minute: m,
          requests: s?.requests ?? 0,
          p95: s?.p95 ?? null,
          errorRatio: s?.errorRatio ?? null,
          memoryRatio: s?.memoryRatio ?? null,
        });
      }
      const changes = await changesBetween(deps.store, env, from, until);
      const comparisons: string[] = [];
      for (const c of [...changes].reverse().slice(0, 3))
        comparisons.push((await compareAround(deps.store, c, deps.config.logdrain.compareMinutes, until)).text);
      const base = deps.config.charts.publicUrl;
      return {
        env: env.name,
        since: from,
        until,
        points,
        totals: summarize(rows),
        changes,
        comparisons,
        chartUrl: base && key ? `${base}${METRICS_CHART_PATH}${metricsChartFile(key, env.name, from, until)}` : null,
        drainConfigured: deps.config.logdrain.environments.some((d) => d.env === env.name && d.passwords.length > 0),
        noDataHint: deps.noDataHint?.(env.name) ?? null,
      };
    },
  };
}
