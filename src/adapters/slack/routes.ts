import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';
import type { Logger } from '../../ports/logger.ts';
import { HEALTH_CHECK_TIMEOUT_MS } from './deadlines.ts';

/** An extra HTTP route served beside /slack/events (webhooks); the handler reads the raw body itself. */
export interface TransportRoute {
  path: string;
  method: string | string[];
  handler(req: IncomingMessage, res: ServerResponse): void | Promise<void>;
}

/** GET /healthz: 200 {ok:true} when isHealthy() resolves true in time, else 503 {ok:false}. */
export function healthRoute(isHealthy: () => Promise<boolean>, log: Logger): CustomRoute {
  return {
    path: '/healthz',
    method: 'GET',
    handler: (_req, res) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), HEALTH_CHECK_TIMEOUT_MS);
      });
      void Promise.race([isHealthy().catch(() => false), timeout])
        .then((ok) => {
          if (!ok) log.warn('health check failed');
          res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok }));
        })
        .finally(() => clearTimeout(timer));
    },
  };
}

/** Bolt calls route handlers without awaiting them; catch failures so a bug answers 500 instead of crashing. */
export function wrapRoute(route: TransportRoute, log: Logger): CustomRoute {
  return {
    path: route.path,
    method: route.method,
    handler: (req, res) => {
      Promise.resolve()
        .then(() => route.handler(req, res))
        .catch((err: unknown) => {
          log.error({ err, path: route.path }, 'route handler failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
          if (!res.writableEnded) res.end(JSON.stringify({ ok: false, error: 'internal' }));
        });
    },
  };
}
