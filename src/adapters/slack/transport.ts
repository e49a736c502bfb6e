import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, type CustomRoute, type Receiver } from '@slack/bolt';
import type { Config } from '../../config.ts';
import type { Dispatcher } from '../../core/transport.ts';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../ports/logger.ts';
import type { DedupStore } from '../../ports/stores/dedup.ts';
import { SHUTDOWN_GRACE_MS } from '../../shutdown.ts';
import { BOLT_UNHANDLED_REQUEST_TIMEOUT_MS } from './deadlines.ts';
import { registerListeners } from './listeners.ts';
import { healthRoute, wrapRoute, type TransportRoute } from './routes.ts';
import { toSlackLogger } from './slack-logger.ts';
import { socketRedeliveryGuard } from './socket-redelivery.ts';
import { registerHomeListeners, type HomeListenerDeps } from './home-listeners.ts';
import { registerViewListeners } from './view-listeners.ts';

/** Where Slack POSTs slash commands, interactivity and events (manifest.yml request URLs). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackTransportOptions {
  config: Config;
  dispatcher: Dispatcher;
  logger: Logger;
  /** Extra HTTP routes (webhooks), served by the same server. */
  routes?: TransportRoute[];
  /** Backs GET /healthz. */
  isHealthy: () => Promise<boolean>;
  /** Bound on waiting for in-flight work at stop(); defaults to SHUTDOWN_GRACE_MS. */
  shutdownGraceMs?: number;
  /** Time the dispatcher gets before an empty ack is sent; defaults to ACK_BUDGET_MS. */
  ackBudgetMs?: number;
  /** Socket Mode: remembers deliveries so an envelope Slack redelivers runs once (socket-redelivery.ts). */
  dedup?: DedupStore;
  now?: () => number;
  /** Socket Mode client timings (tests shorten them; the reconnect delay is clientPingTimeoutMs). */
  socketMode?: { clientPingTimeoutMs?: number; serverPingTimeoutMs?: number };
  /** The App Home tab: app_home_opened and clicks in it. */
  home?: HomeListenerDeps;
}

export interface SlackTransport {
  /** Listen (HTTP: config.port, 0 = any) or connect (Socket Mode). */
  start(): Promise<{ url: string; port: number }>;
  /** Stop taking requests, then wait (bounded) for in-flight follow-up work. */
  stop(): Promise<void>;
}

/**
 * The Slack transport: a Bolt app that verifies, acks and hands requests to the dispatcher,
 * nothing more (bolt-js: receivers only handle transport). HTTP mode also serves /healthz and the
 * webhook routes; Socket Mode serves them on config.port beside the WebSocket.
 */
export function createSlackTransport(opts: SlackTransportOptions): SlackTransport {
  const { config, logger } = opts;
  const log = logger.child({ component: 'slack-transport' });
  const boltLogger = toSlackLogger(log, 'bolt');
  const customRoutes: CustomRoute[] = [
    healthRoute(opts.isHealthy, log),
    ...(opts.routes ?? []).map((r) => wrapRoute(r, log)),
  ];
  const receiver = createReceiver(config, customRoutes, boltLogger, opts.socketMode);
  const botToken = config.slack.botToken ?? undefined;
  const app = new App({
    receiver,
    logger: boltLogger,
    // An authorize function keeps Bolt from calling auth.test at start or on the first event (§A8).
    authorize: async () => ({ botToken }),
    clientOptions: { slackApiUrl: config.slack.apiUrl },
    // No listener reads Bolt's per-conversation state; skipping its store saves work on every request.
    convoStore: false,
  });
  app.error(async (err) => {
    log.error({ err }, 'unhandled error in a Slack listener');
  });

  if (config.mode === 'socket' && opts.dedup) app.use(socketRedeliveryGuard(opts.dedup, opts.now ?? Date.now, log));

  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    const settled = work.catch(() => undefined);
    inFlight.add(settled);
    void settled.then(() => inFlight.delete(settled));
  };
  registerListeners(app, {
    dispatcher: opts.dispatcher,
    log,
    ackBudgetMs: opts.ackBudgetMs,
    track,
    ...(opts.home ? { homeResponder: opts.home.responder } : {}),
  });
  if (opts.home) registerHomeListeners(app, opts.home, log, track);
  registerViewListeners(app, { dispatcher: opts.dispatcher, log, track });

  let started = false;
  return {
    async start() {
      if (config.mode === 'socket') {
        await app.start();
        started = true;
        const port = await socketHttpPort(receiver, config.port);
        return { url: `http://127.0.0.1:${port}`, port };
      }
      const server = (await app.start(config.port)) as Server;
      started = true;
      const port = (server.address() as AddressInfo).port;
      return { url: `http://127.0.0.1:${port}`, port };
    },
    async stop() {
      if (!started) return;
      started = false;
      await app.stop().catch((err: unknown) => log.warn({ err }, 'stopping the Slack receiver failed'));
      const pending = [...inFlight];
      if (pending.length === 0) return;
      log.info({ pending: pending.length }, 'waiting for in-flight Slack work before shutdown');
      const grace = opts.shutdownGraceMs ?? SHUTDOWN_GRACE_MS;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        Promise.all(pending).then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), grace);
        }),
      ]);
      clearTimeout(timer);
      if (timedOut)
        log.warn({ pending: inFlight.size, graceMs: grace }, 'shutdown grace ran out with Slack work still running');
    },
  };
}

/**
 * The port Socket Mode's HTTP server (/healthz, webhooks) really listens on: Bolt calls listen()
 * without waiting, and keeps the server private, so PORT=0 would otherwise report port 0.
 */
async function socketHttpPort(receiver: Receiver, configured: number): Promise<number> {
  const server = (receiver as unknown as { httpServer?: Server }).httpServer;
  if (!server) return configured;
  if (!server.listening) await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return (server.address() as AddressInfo).port;
}

function createReceiver(
  config: Config,
  customRoutes: CustomRoute[],
  logger: ReturnType<typeof toSlackLogger>,
  socket: SlackTransportOptions['socketMode'] = {},
): Receiver {
  if (config.mode === 'socket') {
    if (!config.slack.appToken)
      throw new AppError('config_invalid', 'Socket Mode needs SLACK_APP_TOKEN (an "xapp-" app-level token).');
    // Socket Mode has no signature check: the WebSocket itself is authenticated (§A8).
    return new SocketModeReceiver({
      appToken: config.slack.appToken,
      logger,
      customRoutes,
      // apps.connections.open goes to SLACK_API_URL like every other Web API call (a fake in tests);
      // without clientOptions the Socket Mode client always called slack.com.
      installerOptions: { port: config.port, clientOptions: { slackApiUrl: config.slack.apiUrl } },
      ...(socket.clientPingTimeoutMs !== undefined ? { clientPingTimeout: socket.clientPingTimeoutMs } : {}),
      ...(socket.serverPingTimeoutMs !== undefined ? { serverPingTimeout: socket.serverPingTimeoutMs } : {}),
    });
  }
  if (config.mode !== 'http')
    throw new AppError('config_invalid', `The Slack transport runs in http or socket mode, not "${config.mode}".`);
  if (!config.slack.signingSecret)
    throw new AppError(
      'config_invalid',
      'HTTP mode needs SLACK_SIGNING_SECRET (Slack app settings → Basic Information).',
    );
  return new HTTPReceiver({
    signingSecret: config.slack.signingSecret,
    endpoints: [SLACK_EVENTS_PATH],
    port: config.port,
    customRoutes,
    logger,
    processBeforeResponse: false,
    unhandledRequestTimeoutMillis: BOLT_UNHANDLED_REQUEST_TIMEOUT_MS,
  });
}
