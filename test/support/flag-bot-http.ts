import { Writable } from 'node:stream';
import { createHerokuAdapter } from '../../src/adapters/heroku/heroku-adapter.ts';
import { createSlackTransport } from '../../src/adapters/slack/transport.ts';
import { loadConfig } from '../../src/config.ts';
import type { AnyCommand } from '../../src/ports/command.ts';
import { Registry } from '../../src/core/registry.ts';
import { createLogger } from '../../src/log.ts';
import type { Store } from '../../src/ports/store.ts';
import type { Ports } from '../../src/services/context.ts';
import { CommandDispatcher } from '../../src/services/dispatch/dispatcher.ts';
import type { WorkLimiter } from '../../src/services/dispatch/work-limiter.ts';
import { SlackDriver } from '../drivers/slack-driver.ts';
import { startFakeHeroku } from '../fakes/fake-heroku-api.ts';
import { FakeSlackApi } from '../fakes/fake-slack-api.ts';
import { RecordingChat } from './recording-chat.ts';
import { TestClock, sequentialIds } from './test-clock.ts';
import { testDatabase } from './test-databases.ts';

const SECRET = 'test-signing-secret-0123456789';

/**
 * The real transport, dispatcher, SQLite store and Heroku adapter over signed HTTP against the fake
 * Heroku (staging `autorisen` off, production `capecraft` on) and Slack APIs, with the caller's
 * commands and work limiter: UANA is an operator, UVIC a viewer. `stop()` closes everything.
 */
export async function startFlagBotOverHttp(o: {
  commands: readonly AnyCommand[];
  limiter: WorkLimiter;
  /** Wrap the store (e.g. to hold a write). */
  store?: (s: Store) => Store;
}) {
  const heroku = await startFakeHeroku({
    apps: [
      { name: 'autorisen', configVars: { FEATURE_AUTORISEN: 'false' } },
      { name: 'capecraft', configVars: { FEATURE_AUTORISEN: 'true' } },
    ],
  });
  const slack = await FakeSlackApi.start();
  const opened = await testDatabase('sqlite').open();
  const config = loadConfig(
    { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: '0' },
    () => `
environments:
  - { name: staging, heroku_app: autorisen, github_repo: o/r, base_url: "http://127.0.0.1:1" }
  - { name: production, heroku_app: capecraft, github_repo: o/r, base_url: "http://127.0.0.1:1", production: true }
roles:
  users: { UANA: operator, UVIC: viewer }
`,
  );
  const log = createLogger({ ...config, logLevel: 'silent' }, new Writable({ write: (_c, _e, cb) => cb() }));
  const registry = new Registry([...o.commands]);
  const clock = new TestClock();
  const ports = {
    environments: config.environments,
    heroku: createHerokuAdapter(
      { apiKey: heroku.apiKey, apiUrl: heroku.url, dataApiUrl: heroku.dataUrl },
      { environments: config.environments, timeoutMs: 5000 },
    ),
    store: o.store ? o.store(opened.store) : opened.store,
    clock,
    ids: sequentialIds('flag-bot'),
    catalog: registry.commands,
  } as unknown as Ports;
  const dispatcher = new CommandDispatcher({
    config,
    registry,
    ports,
    chat: new RecordingChat(),
    directory: { groupsOf: async () => [] },
    log,
    workLimiter: o.limiter,
    busyAuditWindowMs: 20,
  });
  const transport = createSlackTransport({
    config,
    dispatcher,
    logger: log,
    isHealthy: async () => true,
    shutdownGraceMs: 2000,
  });
  const { url } = await transport.start();
  const driver = new SlackDriver({ baseUrl: url, signingSecret: SECRET, responseBase: slack.url });
  return {
    driver,
    heroku,
    slack,
    opened,
    clock,
    dispatcher,
    async stop() {
      heroku.clearFaults();
      await transport.stop();
      await heroku.close();
      await slack.close();
      await opened.cleanup();
    },
  };
}
