import type { IncomingMessage, ServerResponse } from 'node:http';
import { activityWindow, bucketize } from '../../core/alerts/activity.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Store } from '../../ports/store.ts';
import { CHART_PATH, CHART_TOKEN } from '../../services/alerts/charts.ts';
import { barChartPng } from './bar-chart.ts';

/** An extra HTTP route on the bot's port (same shape as the transport's custom routes). */
export interface ChartRoute {
  path: string;
  method: string[];
  handler(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * Slack's image proxy may fetch again once this has passed; short, because the chart is drawn
 * from the store at request time and is meant to be current.
 */
export const CHART_MAX_AGE_SEC = 60;

/** 404 for any chart name that is malformed, unsigned or names nothing: it says nothing more. */
export function sendNoChart(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ error: 'no such chart' }));
}

/** A chart drawn now: cacheable for CHART_MAX_AGE_SEC, bodiless for HEAD. */
export function sendPng(req: IncomingMessage, res: ServerResponse, png: Buffer): void {
  res.writeHead(200, {
    'content-type': 'image/png',
    'content-length': String(png.length),
    'cache-control': `public, max-age=${CHART_MAX_AGE_SEC}`,
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : png);
}

export interface ChartRouteDeps {
  store: Pick<Store, 'alerts' | 'alertActivity'>;
  now: () => number;
  log: Logger;
}

/**
 * `GET /charts/alerts/<token>.png`: the alert's activity over the last 2 hours, drawn now. Public
 * (Slack fetches it without credentials), so the token is an HMAC of the fingerprint that only the
 * bot can make; an unknown, malformed or pruned token is a plain 404 that says nothing more.
 */
export function chartRoutes(deps: ChartRouteDeps): ChartRoute[] {
  return [{ path: `${CHART_PATH}:file`, method: ['GET', 'HEAD'], handler: (req, res) => serveChart(deps, req, res) }];
}

async function serveChart(deps: ChartRouteDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const file = new URL(req.url ?? '/', 'http://localhost').pathname.slice(CHART_PATH.length);
  const token = file.endsWith('.png') ? file.slice(0, -'.png'.length) : '';
  const fingerprint = CHART_TOKEN.test(token) ? await deps.store.alertActivity.chartFingerprint(token) : null;
  // A link outlives its alert only until pruning; an alert already pruned has nothing to show.
  if (fingerprint === null || (await deps.store.alerts.getGroup(fingerprint)) === null) return sendNoChart(res);
  const now = deps.now();
  const values = bucketize(await deps.store.alertActivity.occurrences(fingerprint, activityWindow(now).start), now);
  const png = barChartPng(values);
  sendPng(req, res, png);
  deps.log.debug({ bytes: png.length }, 'served an alert activity chart');
}
