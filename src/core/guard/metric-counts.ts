import type { GuardCounts, GuardMetric } from './guard-types.ts';

export interface Picked {
  events: number;
  exposure: number;
  /** Exposure is requests (a minimum applies) or minutes (memory: none). */
  perRequest: boolean;
}

/** What each metric counts, and per what. */
export function pick(metric: GuardMetric, c: GuardCounts): Picked {
  switch (metric) {
    case 'error_ratio':
      return { events: c.status5xx, exposure: c.requests, perRequest: true };
    case 'error_ratio_autorisen':
      return { events: c.status5xxInside, exposure: c.requestsInside, perRequest: true };
    case 'auth_autorisen':
      return { events: c.authInside, exposure: c.requestsInside, perRequest: true };
    case 'p95_latency':
      return { events: c.slowP95, exposure: c.timed, perRequest: true };
    case 'p99_latency':
      return { events: c.slowP99, exposure: c.timed, perRequest: true };
    case 'router_errors':
      return { events: c.routerErrors, exposure: c.requests, perRequest: true };
    case 'memory_errors':
      return { events: c.memoryErrors, exposure: c.minutes, perRequest: false };
  }
}
