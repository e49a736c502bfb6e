import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../config.ts';
import { createWebhookHandler, type PipelineDeps } from './pipeline.ts';
import { allSources } from './sources.ts';

/** A Bolt HTTPReceiver custom route. */
export interface WebhookRoute {
  path: string;
  method: string[];
  handler(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** Every method is routed to us so a wrong one gets our 405 rather than the receiver's 404. */
export const WEBHOOK_METHODS = ['POST', 'GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** The webhook endpoints (/hooks/sentry, /hooks/alertmanager, /hooks/grafana, /hooks/heroku). */
export function webhookRoutes(deps: PipelineDeps & { config: Pick<Config, 'webhooks'> }): WebhookRoute[] {
  return allSources(deps.config.webhooks).map((src) => ({
    path: src.path,
    method: WEBHOOK_METHODS,
    handler: createWebhookHandler(src, deps),
  }));
}
