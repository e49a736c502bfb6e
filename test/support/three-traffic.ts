import type { SlackCall, StoredMessage } from '../fakes/fake-slack-api.ts';
import type { ThreeWorld } from './three-instances.ts';
import { fixture, headersFor, send, sentryEvent } from '../integration/alert-harness.ts';
import { DRAIN } from '../integration/logdrain-harness.ts';
import { frame, memoryLine, routerLine } from './logplex-frames.ts';

/**
 * The webhook traffic of the three-instance test and benchmark (issue 19 §7): real Sentry and
 * Alertmanager payloads, really signed, and Logplex batches; sent through the router.
 */

/** Log drain config for the release world's environments (the drain harness's tokens and passwords). */
export const DRAIN_EXTRA_YAML = `
logdrain:
  retention_days: 7
  environments:
    production:
      drain_tokens: [${DRAIN.productionToken}]
`;
export const DRAIN_ENV = { LOGDRAIN_PASSWORD_PRODUCTION: DRAIN.production };

/** Delivery `n` of the storm: mostly Sentry events over `issues` issues, every tenth the real 3-alert Alertmanager payload. */
export function stormDelivery(
  n: number,
  issues: number,
): { path: string; body: Buffer; headers: Record<string, string>; events: number } {
  if (n % 10 === 9) {
    const body = fixture('alertmanager/webhook_v4_firing_3_alerts.raw.json');
    return { path: '/hooks/alertmanager', body, headers: headersFor.alertmanager(), events: 3 };
  }
  const body = sentryEvent(n, String(7000 + (n % issues)), 's');
  return { path: '/hooks/sentry', body, headers: headersFor.sentry(body, 'event_alert'), events: 1 };
}

/** Send `total` storm deliveries to `url`, `concurrency` at a time; the statuses that were not 202. */
export async function sendStorm(url: string, total: number, issues: number, concurrency: number) {
  let next = 0;
  let events = 0;
  const refused: string[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const d = stormDelivery(next++, issues);
        const r = await send(url, d.path, d.body, d.headers);
        if (r.status === 202) events += d.events;
        else refused.push(`${r.status} ${JSON.stringify(r.body)}`);
      }
    }),
  );
  return { events, refused };
}

/**
 * The events Slack shows for alerts: each alert message's ×count, plus each storm digest's
 * "(N events" (the benchmark's zero-loss count).
 */
export function shownEvents(top: StoredMessage[]): number {
  let n = 0;
  for (const m of top) {
    const text = `${m.text ?? ''} ${JSON.stringify(m.blocks ?? null)}`;
    const digest = /\((\d+) events/.exec(text);
    const single = /×(\d+)/.exec(text);
    n += Number(digest?.[1] ?? single?.[1] ?? 0);
  }
  return n;
}

/** One Logplex POST body of `n` lines in the minute starting at `minute`: router lines (some with H-codes) and memory samples. */
export function drainPost(seed: number, minute: number, n = 40): { body: Buffer; lines: number } {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = seed * 31 + i;
    const iso = new Date(minute + ((seed * 7 + i) % 60) * 1000 + (i % 1000)).toISOString();
    if (i % 10 === 9) lines.push(memoryLine(iso, `web.${1 + (k % 3)}`, 200 + (k % 300)));
    else
      lines.push(
        routerLine(iso, {
          path: ['/', '/api/autorisen/session', '/api/items', '/login'][k % 4]!,
          status: [200, 200, 304, 401, 403, 500, 200, 503][k % 8]!,
          service: 5 + ((k * 37) % 400),
          ...(k % 8 === 7 ? { code: 'H12' } : {}),
        }),
      );
  }
  return { body: frame(lines), lines: lines.length };
}

/** The views.publish calls to `user`'s Home, in order. */
export const homePublishesTo = (w: ThreeWorld, user: string) =>
  w.slack.calls.filter((c: SlackCall) => c.method === 'views.publish' && c.args.user_id === user);

/** Wait until no views.publish came for `quietMs` (peers look for changes every 100 ms here). */
export async function homeSettled(w: ThreeWorld, quietMs = 1_000): Promise<void> {
  let seen = -1;
  let since = Date.now();
  for (;;) {
    const n = w.slack.callsTo('views.publish').length;
    if (n !== seen) [seen, since] = [n, Date.now()];
    else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
