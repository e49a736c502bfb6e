import type { Alert } from '../../src/core/alerts/alerts.ts';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { listenLocal } from '../fakes/fake-http-io.ts';
import { webhookRoutes } from '../../src/adapters/webhooks/routes.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Clock, Ids } from '../../src/ports/clock.ts';
import type { Logger } from '../../src/ports/logger.ts';
import type { Store } from '../../src/ports/store.ts';
import { createAlertIntake } from '../../src/services/alerts/intake.ts';

/** Test secrets: current and previous (rotation). */
export const SECRETS = {
  SENTRY_CLIENT_SECRET: 'sentry-current-secret',
  SENTRY_CLIENT_SECRET_PREVIOUS: 'sentry-previous-secret',
  ALERTMANAGER_TOKEN: 'am-token-current',
  ALERTMANAGER_TOKEN_PREVIOUS: 'am-token-previous',
  GRAFANA_WEBHOOK_SECRET: 'grafana-hmac-current',
  HEROKU_WEBHOOK_SECRET: 'heroku-current',
  HEROKU_WEBHOOK_SECRET_PREVIOUS: 'heroku-previous',
};

/**
 * Environments mapped to the app/project names in the real fixtures: Heroku app "my-app"
 * (unsplash/mercury captures) is production, "zkmf2024-server-staging" is staging, and Sentry
 * project "front-end" (Sentry docs examples) is an alias of production.
 */
export const CONFIG_YAML = `
environments:
  - name: staging
    aliases: [stage]
    heroku_app: zkmf2024-server-staging
    github_repo: capecraft/capecraft
    base_url: https://staging.example.com
    deploy_channel: C0DEPLOYSTG
  - name: production
    aliases: [prod, front-end, bar]
    heroku_app: my-app
    github_repo: capecraft/capecraft
    base_url: https://prod.example.com
    production: true
    deploy_channel: C0DEPLOYPRD
alerts:
  default_channel: C0ALERTS01
  context_window_minutes: 60
  routes:
    - source: sentry
      env: production
      channel: C0ALERTSPR
    - severity: critical
      channel: C0ONCALL01
`;

/** The real config loader over the YAML above, with `env` overriding the secrets. */
export function testConfig(env: Record<string, string | undefined> = SECRETS, yaml = CONFIG_YAML): Config {
  return loadConfig({ ...env, AUTORISEN_CONFIG: 'test.yml' }, () => yaml);
}

export function fixture(path: string): Buffer {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url));
}

/** A data-only Sentry test fixture wrapped in the documented envelope (§B), compact as Sentry sends it. */
export function sentryEnvelope(dataFile: string, action: string): Buffer {
  const data = JSON.parse(fixture(`sentry/${dataFile}`).toString('utf8')) as unknown;
  return Buffer.from(
    JSON.stringify({
      action,
      installation: { uuid: 'a8e5d37a-696c-4c54-adb5-b3f28d64c7de' },
      data,
      actor: { type: 'application', id: 'sentry', name: 'Sentry' },
    }),
  );
}

/** A pretty-printed fixture re-serialised compactly, as the vendor sends it (§B: simplejson compact). */
export function compact(path: string): Buffer {
  return Buffer.from(JSON.stringify(JSON.parse(fixture(path).toString('utf8'))));
}

export const sign = {
  sentry: (body: Buffer, secret = SECRETS.SENTRY_CLIENT_SECRET) =>
    createHmac('sha256', secret).update(body).digest('hex'),
  heroku: (body: Buffer, secret = SECRETS.HEROKU_WEBHOOK_SECRET) =>
    createHmac('sha256', secret).update(body).digest('base64'),
  grafana: (body: Buffer, ts: string | null, secret = SECRETS.GRAFANA_WEBHOOK_SECRET) => {
    const h = createHmac('sha256', secret);
    if (ts !== null) h.update(`${ts}:`);
    return h.update(body).digest('hex');
  },
};

/** Headers a real sender would send with `body`. */
export const headersFor = {
  sentry: (body: Buffer, resource: string) => ({
    'content-type': 'application/json',
    'sentry-hook-resource': resource,
    'sentry-hook-signature': sign.sentry(body),
    'sentry-hook-timestamp': String(Math.floor(Date.now() / 1000)),
    'request-id': Math.random().toString(16).slice(2),
  }),
  alertmanager: () => ({
    'content-type': 'application/json',
    authorization: `Bearer ${SECRETS.ALERTMANAGER_TOKEN}`,
    'user-agent': 'Alertmanager/0.27.0',
  }),
  grafana: (body: Buffer, ts = String(Math.floor(Date.now() / 1000))) => ({
    'content-type': 'application/json',
    'x-grafana-alerting-signature': sign.grafana(body, ts),
    'x-grafana-alerting-timestamp': ts,
    'user-agent': 'Grafana',
  }),
  heroku: (body: Buffer) => ({ 'content-type': 'application/json', 'heroku-webhook-hmac-sha256': sign.heroku(body) }),
};

export interface HttpReply {
  status: number;
  body: Record<string, unknown>;
}

/** POST (or `method`) over loopback with node:http, which reads an early answer (413) cleanly. */
export function send(
  baseUrl: string,
  path: string,
  body: Buffer | null,
  headers: Record<string, string>,
  method = 'POST',
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}${path}`,
      { method, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
      },
    );
    // The server may answer and close before the whole body is sent (413): that is not a failure.
    req.on('error', (err) => (req.writableEnded ? undefined : reject(err)));
    if (body) req.end(body);
    else req.end();
  });
}

export const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silentLog };

let idCounter = 0;
export const testIds: Ids = { next: () => `id${(++idCounter).toString(36)}${Math.random().toString(36).slice(2, 8)}` };

/** The webhook routes on a plain HTTP server on 127.0.0.1:0 (as the Bolt receiver mounts them). */
export async function startIngress(opts: {
  store: Store;
  config: Config;
  clock: Clock;
  onAccepted?: () => void;
}): Promise<{ url: string; close(): Promise<void> }> {
  const intake = createAlertIntake({
    store: opts.store,
    config: opts.config,
    clock: opts.clock,
    ids: testIds,
    log: silentLog,
    onAccepted: opts.onAccepted,
  });
  const routes = webhookRoutes({ config: opts.config, sink: intake, log: silentLog, now: () => opts.clock.now() });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && r.method.includes(req.method ?? ''));
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    void route.handler(req, res);
  });
  return listenLocal(server);
}

export const realClock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

/** The real Sentry issue alert (docs fixture) as event `n` of an issue (Sentry gives every event a new id). */
export function sentryEvent(n: number, issueId = '1117540176', idPrefix = 'e'): Buffer {
  const body = JSON.parse(fixture('sentry/event_alert_triggered.docs.json').toString('utf8')) as {
    data: { event: Record<string, unknown> };
  };
  body.data.event.event_id = `${idPrefix}4874d664c3540c1a32eab185f12${String(n).padStart(4, '0')}`;
  body.data.event.issue_id = issueId;
  return Buffer.from(JSON.stringify(body));
}

/** A normalised alert for store tests: firing or resolved, from Alertmanager unless told. */
export function testAlert(
  fingerprint: string,
  status: Alert['status'] = 'firing',
  source: 'alertmanager' | 'sentry' = 'alertmanager',
): Alert {
  const sentry = source === 'sentry';
  return {
    source,
    env: 'production',
    severity: sentry ? 'error' : 'warning',
    title: `${sentry ? 'Boom' : 'Disk'} ${fingerprint}`,
    detail: null,
    status,
    fingerprint,
    project: null,
    links: [],
    labels: {},
    resolvedBy: status === 'resolved' ? (sentry ? 'Sentry' : 'Alertmanager') : null,
  };
}
