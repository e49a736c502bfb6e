import type { Histogram } from 'hdr-histogram-js';
import type { DrainLine } from '../../core/drain/logdrain-lines.ts';
import type { DrainMinute } from '../../ports/stores/drain-metrics.ts';
import { encodeHistogram, newHistogram, recordLatency } from './histogram.ts';

/** The API namespace whose 401/403s are counted apart (the autorisen features). */
export const AUTORISEN_PREFIX = '/api/autorisen/';

const MINUTE_MS = 60_000;

/** Start of the minute containing `at`. */
export function minuteStart(at: number): number {
  return Math.floor(at / MINUTE_MS) * MINUTE_MS;
}

/** Builds the per-minute partial aggregates of one POST (one environment). */
export class MinuteAggregator {
  private readonly minutes = new Map<number, { m: DrainMinute; h: Histogram | null }>();

  constructor(private readonly env: string) {}

  add(at: number, line: DrainLine): void {
    const minute = minuteStart(at);
    let slot = this.minutes.get(minute);
    if (!slot) {
      slot = { m: emptyMinute(this.env, minute), h: null };
      this.minutes.set(minute, slot);
    }
    const m = slot.m;
    switch (line.kind) {
      case 'router': {
        m.requests++;
        const inside = isAutorisenPath(line.path);
        if (inside) m.requestsInside++;
        if (line.status >= 500) {
          m.status5xx++;
          if (inside) m.status5xxInside++;
        }
        if (line.status === 401 || line.status === 403) {
          if (line.status === 401) inside ? m.auth401Inside++ : m.auth401Outside++;
          else inside ? m.auth403Inside++ : m.auth403Outside++;
        }
        if (line.code) m.codes[line.code] = (m.codes[line.code] ?? 0) + 1;
        if (line.latencyMs !== null) {
          slot.h ??= newHistogram();
          recordLatency(slot.h, line.latencyMs);
        }
        break;
      }
      case 'memory': {
        const prev = m.memory[line.dyno];
        m.memory[line.dyno] = {
          maxMb: Math.max(prev?.maxMb ?? 0, line.totalMb),
          quotaMb: line.quotaMb ?? prev?.quotaMb ?? null,
        };
        break;
      }
      case 'load':
        m.loadMax = Math.max(m.loadMax ?? 0, line.load1m);
        break;
      case 'dyno-error':
        m.codes[line.code] = (m.codes[line.code] ?? 0) + 1;
        break;
      case 'postgres':
        if (line.activeConnections !== null) m.pgConnections = Math.max(m.pgConnections ?? 0, line.activeConnections);
        if (line.dbSizeBytes !== null) m.pgDbBytes = line.dbSizeBytes;
        break;
    }
  }

  /** The partial minutes, histograms encoded. */
  result(): DrainMinute[] {
    return [...this.minutes.values()].map(({ m, h }) => ({ ...m, latency: h ? encodeHistogram(h) : '' }));
  }
}

/** Inside `/api/autorisen/` (the query string and the bare `/api/autorisen` included). */
export function isAutorisenPath(path: string): boolean {
  return (
    path.startsWith(AUTORISEN_PREFIX) || path === AUTORISEN_PREFIX.slice(0, -1) || path.startsWith('/api/autorisen?')
  );
}

export function emptyMinute(env: string, minute: number): DrainMinute {
  return {
    env,
    minute,
    requests: 0,
    status5xx: 0,
    requestsInside: 0,
    status5xxInside: 0,
    auth401Inside: 0,
    auth401Outside: 0,
    auth403Inside: 0,
    auth403Outside: 0,
    codes: {},
    latency: '',
    memory: {},
    loadMax: null,
    pgConnections: null,
    pgDbBytes: null,
  };
}
