import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSlackChat } from '../src/adapters/slack/chat.ts';
import { migrate } from '../src/adapters/store/migrate.ts';
import { createStoreFromDb } from '../src/adapters/store/sql-store.ts';
import { openSqliteDb } from '../src/adapters/store/sqlite.ts';
import { webhookRoutes } from '../src/adapters/webhooks/routes.ts';
import { systemClock } from '../src/adapters/system-clock.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { startAlertDelivery } from '../src/services/alerts/delivery.ts';
import { createAlertIntake } from '../src/services/alerts/intake.ts';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import type { SenderJob, SenderResult } from './alerts-storm-sender.ts';

/**
 * Alert storm: 10,000 really-signed Sentry issue alerts (1,000 distinct issues) over loopback into
 * the real ingress with SQLite persistence, delivered to a fake Slack API by the real worker.
 * Reports accepted deliveries/s, Slack calls against the limits, and proves zero loss from what
 * Slack ends up showing: individual messages' counts + the digest's event total = accepted.
 */
export interface StormResult {
  accepted: number;
  rejected: number;
  acceptSeconds: number;
  acceptedPerSec: number;
  /** CPU time (user + system) the bot process spent per accepted delivery while the storm ran. */
  cpuMicrosPerDelivery: number;
  drainSeconds: number;
  posts: number;
  updates: number;
  maxPostsPerSecondPerChannel: number;
  shownEvents: number;
  zeroLoss: boolean;
}

const SECRET = 'bench-sentry-secret';

export async function benchAlertsStorm(
  opts: { total?: number; distinct?: number; concurrency?: number } = {},
): Promise<StormResult> {
  const total = opts.total ?? 10_000;
  const distinct = opts.distinct ?? 1_000;
  const concurrency = opts.concurrency ?? 32;
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-storm-'));
  const fake = await FakeSlackApi.start();
  const yaml =
    'environments:\n  - {name: production, aliases: [front-end], heroku_app: capecraft, github_repo: a/b, base_url: "https://x.example"}\nalerts:\n  default_channel: C0ALERTS01\n';
  const config = loadConfig(
    {
      SENTRY_CLIENT_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: 's',
      SLACK_API_URL: fake.apiUrl,
      AUTORISEN_CONFIG: 'bench.yml',
    },
    () => yaml,
  );
  // The real logger at the default level (info), as deployed, writing to nowhere.
  const log = createLogger(config, { write() {} });
  const db = openSqliteDb(join(dir, 'storm.db'));
  await migrate(db);
  const store = createStoreFromDb(db);
  const worker = startAlertDelivery({
    store,
    chat: createSlackChat(config, log, { rateLimitRetries: 0, retries: 0, postIntervalMs: 0 }),
    clock: systemClock,
    ids: { next: () => Math.random().toString(36).slice(2) },
    log,
    config,
  });
  const intake = createAlertIntake({
    store,
    config,
    clock: systemClock,
    ids: { next: () => Math.random().toString(36).slice(2) },
    log,
    onAccepted: () => worker.poke(),
  });
  const routes = webhookRoutes({ config, sink: intake, log, now: () => Date.now() });
  const server = createServer((req, res) => void routes.find((r) => r.path === req.url)!.handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  // The senders run in a child process (see alerts-storm-sender.ts); fork passes on tsx's loader flags.
  const sender = fork(fileURLToPath(new URL('./alerts-storm-sender.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const cpuBefore = process.cpuUsage();
  const sent = await new Promise<SenderResult>((resolve, reject) => {
    sender.once('message', (m: SenderResult | { error: string }) =>
      'error' in m ? reject(new Error(m.error)) : resolve(m),
    );
    sender.once('error', reject);
    sender.send({ port, secret: SECRET, total, distinct, concurrency } satisfies SenderJob);
  });
  // The bot's own CPU per delivery (ingress + worker): steadier than the rate on a shared machine.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMicrosPerDelivery = (cpu.user + cpu.system) / Math.max(1, sent.accepted);
  sender.kill();
  const { accepted, rejected } = sent;
  const acceptSeconds = sent.seconds;
  const drainStart = performance.now();
  await worker.drain(180_000);
  const drainSeconds = (performance.now() - drainStart) / 1000;

  const top = [...fake.messages.values()].filter((m) => !m.threadTs);
  const digestEvents = top
    .filter((m) => m.text?.startsWith('🌩️'))
    .reduce((n, m) => n + Number(/\((\d+) events/.exec(m.text ?? '')?.[1] ?? 0), 0);
  const messageEvents = top
    .filter((m) => !m.text?.startsWith('🌩️'))
    .reduce((n, m) => n + Number(/×(\d+)/.exec(m.text ?? '')?.[1] ?? 0), 0);
  const result: StormResult = {
    accepted,
    rejected,
    acceptSeconds,
    acceptedPerSec: accepted / acceptSeconds,
    cpuMicrosPerDelivery,
    drainSeconds,
    posts: fake.callsTo('chat.postMessage').length,
    updates: fake.callsTo('chat.update').length,
    maxPostsPerSecondPerChannel: Math.max(0, ...fake.postRates().map((r) => r.maxInOneSecond)),
    shownEvents: digestEvents + messageEvents,
    zeroLoss: digestEvents + messageEvents === accepted && (await store.alerts.stats()).events === accepted,
  };
  console.log(
    `accepted ${accepted}/${total} (rejected ${rejected}) in ${acceptSeconds.toFixed(2)} s → ${result.acceptedPerSec.toFixed(0)} deliveries/s (persisted, SQLite, ${concurrency} connections; bot CPU ${cpuMicrosPerDelivery.toFixed(0)} µs/delivery)\n` +
      `Slack: ${result.posts} chat.postMessage, ${result.updates} chat.update; max ${result.maxPostsPerSecondPerChannel} post(s) in any 1 s per channel; drained in ${drainSeconds.toFixed(2)} s\n` +
      `zero loss: ${result.zeroLoss ? 'yes' : 'NO'} — Slack shows ${result.shownEvents} events (messages ${messageEvents} + digest ${digestEvents}) for ${accepted} accepted`,
  );
  await worker.stop();
  await new Promise<void>((r) => server.close(() => r()));
  await fake.close();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchAlertsStorm();
  process.exit(0);
}
