import { createServer, type Server } from 'node:http';
import { listenLocal } from '../fakes/fake-http-io.ts';
import { logdrainRoute } from '../../src/adapters/webhooks/logdrain-route.ts';
import type { Config } from '../../src/config.ts';
import type { Clock } from '../../src/ports/clock.ts';
import type { Store } from '../../src/ports/store.ts';
import { createLogdrainIntake } from '../../src/services/drain/logdrain-intake.ts';
import { createDrainWatch } from '../../src/services/drain/watch.ts';
import type { RecordingChat } from '../support/recording-chat.ts';
import { testDatabase, type OpenedStore } from '../support/test-databases.ts';
import { CONFIG_YAML, silentLog, testConfig, testIds } from './alert-harness.ts';

/** Drain passwords of the test environments (≥ 16 characters, as the config demands). */
export const DRAIN = {
  production: 'prod-drain-password-0123',
  productionPrevious: 'prod-drain-password-old-9',
  staging: 'stg-drain-password-456789',
  /** The real token of the logplex README POST, registered as production's. */
  productionToken: 'd.fc6b856b-3332-4546-93de-7d0ee272c3bd',
  stagingToken: 'd.0b0b0b0b-1111-4222-8333-444444444444',
};

export const DRAIN_YAML = `${CONFIG_YAML}
logdrain:
  retention_days: 7
  environments:
    production:
      drain_tokens: [${DRAIN.productionToken}]
    staging:
      drain_tokens: [${DRAIN.stagingToken}]
      rules:
        error_ratio: { max_percent: 5, window_minutes: 5, min_requests: 20 }
`;

export function drainConfig(extraEnv: Record<string, string> = {}, yaml = DRAIN_YAML): Config {
  return testConfig(
    {
      LOGDRAIN_PASSWORD_PRODUCTION: DRAIN.production,
      LOGDRAIN_PASSWORD_PRODUCTION_PREVIOUS: DRAIN.productionPrevious,
      LOGDRAIN_PASSWORD_STAGING: DRAIN.staging,
      ...extraEnv,
    },
    yaml,
  );
}

/** The headers Logplex sends (heroku/logplex README.http_drains.md), with the URL's credentials as Basic auth. */
export function drainHeaders(
  frameId: string,
  count: number,
  opts: { env?: string; password?: string; token?: string } = {},
): Record<string, string> {
  const env = opts.env ?? 'production';
  const password = opts.password ?? (env === 'staging' ? DRAIN.staging : DRAIN.production);
  return {
    'content-type': 'application/logplex-1',
    'logplex-msg-count': String(count),
    'logplex-frame-id': frameId,
    'logplex-drain-token': opts.token ?? (env === 'staging' ? DRAIN.stagingToken : DRAIN.productionToken),
    'user-agent': 'Logplex/v49',
    authorization: `Basic ${Buffer.from(`${env}:${password}`).toString('base64')}`,
  };
}

/** The drain route alone on a loopback server (like startIngress for the alert webhooks). */
export async function startDrain(opts: {
  store: Store;
  config: Config;
  clock: Clock;
  maxBodyBytes?: number;
}): Promise<{ url: string; close(): Promise<void> }> {
  const sink = createLogdrainIntake({
    store: opts.store,
    retentionMs: opts.config.logdrain.retentionDays * 86_400_000,
    log: silentLog,
  });
  const route = logdrainRoute({
    config: opts.config,
    sink,
    log: silentLog,
    now: () => opts.clock.now(),
    ...(opts.maxBodyBytes ? { maxBodyBytes: opts.maxBodyBytes } : {}),
  });
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '/').split('?')[0] !== route.path) {
      res.writeHead(404).end();
      return;
    }
    void route.handler(req, res);
  });
  return listenLocal(server);
}

/** A SQLite store, the drain route on it and the watch that turns its rules into alerts (posting to `chat`). */
export async function startDrainWatch(config: Config, clock: Clock, chat: RecordingChat) {
  const db: OpenedStore = await testDatabase('sqlite').open();
  const drain = await startDrain({ store: db.store, config, clock });
  const watch = createDrainWatch({ store: db.store, config, clock, ids: testIds, log: silentLog, chat: () => chat });
  return {
    db,
    drain,
    watch,
    async close() {
      await drain.close();
      await db.cleanup();
    },
  };
}
