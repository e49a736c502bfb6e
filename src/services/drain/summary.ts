import type { WindowStats } from '../../core/drain/stats.ts';
import type { DrainMinute } from '../../ports/stores/drain-metrics.ts';
import { latencyPercentiles } from './histogram.ts';

/** Add up a window of minutes; percentiles from the merged histograms (never averaged). */
export function summarize(minutes: readonly DrainMinute[]): WindowStats {
  const s: WindowStats = {
    minutes: minutes.length,
    requests: 0,
    status5xx: 0,
    errorRatio: null,
    p50: null,
    p95: null,
    p99: null,
    auth401Inside: 0,
    auth401Outside: 0,
    auth403Inside: 0,
    auth403Outside: 0,
    codes: {},
    memoryRatio: null,
    memoryDyno: null,
    memoryMaxMb: null,
    loadMax: null,
  };
  for (const m of minutes) {
    s.requests += m.requests;
    s.status5xx += m.status5xx;
    s.auth401Inside += m.auth401Inside;
    s.auth401Outside += m.auth401Outside;
    s.auth403Inside += m.auth403Inside;
    s.auth403Outside += m.auth403Outside;
    for (const [k, v] of Object.entries(m.codes)) s.codes[k] = (s.codes[k] ?? 0) + v;
    for (const [dyno, mem] of Object.entries(m.memory)) {
      if (s.memoryMaxMb === null || mem.maxMb > s.memoryMaxMb) s.memoryMaxMb = mem.maxMb;
      if (mem.quotaMb) {
        const r = mem.maxMb / mem.quotaMb;
        if (s.memoryRatio === null || r > s.memoryRatio) {
          s.memoryRatio = r;
          s.memoryDyno = dyno;
        }
      }
    }
    if (m.loadMax !== null) s.loadMax = Math.max(s.loadMax ?? 0, m.loadMax);
  }
  s.errorRatio = s.requests > 0 ? s.status5xx / s.requests : null;
  const p = latencyPercentiles(minutes);
  if (p) Object.assign(s, p);
  return s;
}
