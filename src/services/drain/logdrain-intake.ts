import { classifyLine } from '../../core/drain/logdrain-lines.ts';
import type { SyslogMessage } from '../../core/drain/logplex.ts';
import type { Logger } from '../../ports/logger.ts';
import type { DrainMetricsStore } from '../../ports/stores/drain-metrics.ts';
import { GroupCommit } from '../alerts/batcher.ts';
import { MinuteAggregator } from './aggregate.ts';
import { mergeMinutes } from './histogram.ts';

/** One authenticated, parsed drain POST. */
export interface DrainDelivery {
  env: string;
  frameId: string;
  receivedAt: number;
  messages: SyslogMessage[];
}

export interface DrainSink {
  accept(d: DrainDelivery): Promise<{ duplicate: boolean; counted: number }>;
}

/**
 * Aggregate a POST into per-minute partials and persist them before the 2xx. POSTs arriving
 * together share one transaction (GroupCommit), so a busy drain costs one read-merge-write per
 * environment-minute per transaction instead of one per POST. Lines older than the retention are
 * dropped: they would be pruned at once and would only re-open old minutes.
 */
export function createLogdrainIntake(deps: {
  store: { drainMetrics: DrainMetricsStore };
  retentionMs: number;
  log: Logger;
}): DrainSink {
  const commit = new GroupCommit((items: Parameters<DrainMetricsStore['record']>[0]) =>
    deps.store.drainMetrics.record(items, mergeMinutes),
  );
  return {
    async accept(d) {
      const agg = new MinuteAggregator(d.env);
      const oldest = d.receivedAt - deps.retentionMs;
      let counted = 0;
      for (const m of d.messages) {
        if (m.at < oldest) continue;
        const line = classifyLine(m);
        if (line === null) continue;
        agg.add(m.at, line);
        counted++;
      }
      const r = await commit.submit({
        env: d.env,
        frameId: d.frameId,
        receivedAt: d.receivedAt,
        minutes: agg.result(),
      });
      return { duplicate: r.duplicate, counted: r.duplicate ? 0 : counted };
    },
  };
}
