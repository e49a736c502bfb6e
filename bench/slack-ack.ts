import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { App, HTTPReceiver } from '@slack/bolt';
import { createSlackTransport } from '../src/adapters/slack/transport.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { parseArgs, tokenize } from '../src/core/parse.ts';
import { resolveRole } from '../src/core/policy.ts';
import { roleAtLeast } from '../src/core/roles.ts';
import { textMessage } from '../src/core/message.ts';
import type { Dispatch, Dispatcher } from '../src/core/transport.ts';
import { createLogger } from '../src/log.ts';
import { SlackDriver } from '../test/drivers/slack-driver.ts';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';

/**
 * Slash-command ack latency over loopback: our transport (trivial and realistic dispatcher) vs a
 * bare Bolt app whose handler only calls ack(). Open-loop load at a fixed rate, bounded in count
 * and time, 127.0.0.1 only. Slack's budget is 3000 ms (PROTOCOLS.md §A2); this shows our overhead.
 */

export interface AckBenchOptions {
  /** Requests per second (default 100). */
  ratePerSec?: number;
  /** Seconds per run (default 10). */
  durationSec?: number;
  /** Requests sent one by one before measuring, per run (default 200), so JIT warm-up does not favour later runs. */
  warmup?: number;
  /** Build the dispatcher for the realistic run; defaults to a parse + role check stand-in. */
  realisticDispatcher?: (config: Config) => Dispatcher | Promise<Dispatcher>;
  print?: (line: string) => void;
}

export interface AckBenchRun {
  name: string;
  requests: number;
  /** Non-200 answers or transport errors. */
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface AckBenchResult {
  runs: AckBenchRun[];
  /** Our p50 / p99 over bare Bolt's, for the trivial-dispatcher run. */
  ratioP50: number;
  ratioP99: number;
  /** The same for the realistic run (the real dispatcher when given). */
  realisticRatioP50: number;
  realisticRatioP99: number;
}

/** Hard cap on requests per run so a mistyped option can't flood the machine. */
const MAX_REQUESTS_PER_RUN = 5_000;
const SECRET = 'bench-signing-secret-0123456789';

/** Run the three ack-latency runs in one process and print a table and the ratios. */
export async function benchSlackAck(opts: AckBenchOptions = {}): Promise<AckBenchResult> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const rate = opts.ratePerSec ?? 100;
  const count = Math.min(MAX_REQUESTS_PER_RUN, Math.round(rate * (opts.durationSec ?? 10)));
  const warmup = opts.warmup ?? 200;
  const fake = await FakeSlackApi.start();
  // The shipped example config: two environments and roles, as a real installation has.
  const example = readFileSync(new URL('../autorisen.config.example.yml', import.meta.url), 'utf8');
  const config = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: '0', LOG_LEVEL: 'silent' }, () => example);
  const logger = createLogger(config, new Writable({ write: (_c, _e, cb) => cb() }));
  const runs: AckBenchRun[] = [];
  try {
    runs.push(await measure('bare Bolt (ack only)', await startBareBolt(), fake, rate, count, warmup));
    const trivial: Dispatcher = { command: async () => EMPTY, action: async () => EMPTY };
    runs.push(await measure('autorisen transport, trivial dispatcher', await startOurs(config, logger, trivial), fake, rate, count, warmup));
    const realistic = await (opts.realisticDispatcher ?? parseAndCheckDispatcher)(config);
    const label = opts.realisticDispatcher ? 'autorisen transport, real dispatcher + SQLite' : 'autorisen transport, parse + role check';
    runs.push(await measure(label, await startOurs(config, logger, realistic), fake, rate, count, warmup));
  } finally {
    await fake.close();
  }
  const [bare, ours, real] = runs as [AckBenchRun, AckBenchRun, AckBenchRun];
  const result = { runs, ratioP50: ours.p50Ms / bare.p50Ms, ratioP99: ours.p99Ms / bare.p99Ms, realisticRatioP50: real.p50Ms / bare.p50Ms, realisticRatioP99: real.p99Ms / bare.p99Ms };
  print(`slack ack latency, ${rate} req/s × ${count} requests per run, loopback`);
  print('| run | requests | errors | p50 ms | p99 ms | max ms |');
  print('|---|---|---|---|---|---|');
  for (const r of runs) print(`| ${r.name} | ${r.requests} | ${r.errors} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.maxMs.toFixed(2)} |`);
  print(`ratio ours/bare (trivial dispatcher): p50 ${result.ratioP50.toFixed(2)}×, p99 ${result.ratioP99.toFixed(2)}×`);
  print(`ratio ours/bare (${real.name}): p50 ${result.realisticRatioP50.toFixed(2)}×, p99 ${result.realisticRatioP99.toFixed(2)}×`);
  return result;
}

const EMPTY: Dispatch = { ack: null, done: Promise.resolve() };

/** Stand-in for the real dispatcher's pre-ack work: tokenise, parse flags, resolve the role, check it. */
function parseAndCheckDispatcher(config: Config): Dispatcher {
  return {
    async command(req) {
      const words = tokenize(req.text);
      const args = parseArgs(words.slice(1));
      const role = resolveRole(config.roles, req.userId, []);
      if (!roleAtLeast(role, 'operator') && args.positional[0] === 'production') return { ack: textMessage('Changing production needs the operator role.'), done: Promise.resolve() };
      return EMPTY;
    },
    action: async () => EMPTY,
  };
}

interface Running {
  url: string;
  stop(): Promise<void>;
}

async function startBareBolt(): Promise<Running> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, port: 0 });
  const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-bench' }), logLevel: undefined });
  app.command('/autorisen', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => app.stop() as Promise<void> };
}

async function startOurs(config: Config, logger: ReturnType<typeof createLogger>, dispatcher: Dispatcher): Promise<Running> {
  const t = createSlackTransport({ config, dispatcher, logger, isHealthy: async () => true });
  const { url } = await t.start();
  return { url, stop: () => t.stop() };
}

async function measure(name: string, target: Running, fake: FakeSlackApi, rate: number, count: number, warmup: number): Promise<AckBenchRun> {
  const driver = new SlackDriver({ baseUrl: target.url, signingSecret: SECRET, responseBase: fake.url });
  try {
    for (let i = 0; i < warmup; i++) await driver.command('flag status production');
    const gapMs = 1000 / rate;
    const started = performance.now();
    const pending: Promise<number | null>[] = [];
    for (let i = 0; i < count; i++) {
      // Open loop: request i goes out at started + i·gap whether or not earlier ones finished.
      const wait = started + i * gapMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(driver.command(`flag on production --reason "bench ${i}"`).then((r) => (r.status === 200 ? r.elapsedMs : null), () => null));
    }
    const results = await Promise.all(pending);
    const ok = results.filter((x): x is number => x !== null).sort((a, b) => a - b);
    const pct = (p: number) => ok[Math.min(ok.length - 1, Math.floor((p / 100) * ok.length))] ?? NaN;
    return { name, requests: count, errors: count - ok.length, p50Ms: pct(50), p99Ms: pct(99), maxMs: ok.at(-1) ?? NaN };
  } finally {
    await target.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  benchSlackAck().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
