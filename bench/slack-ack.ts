import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { Writable } from 'node:stream';
import { App, HTTPReceiver } from '@slack/bolt';
import { createSlackTransport } from '../src/adapters/slack/transport.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { parseCommandText } from '../src/core/command-line.ts';
import { Registry } from '../src/core/registry.ts';
import { allCommands as commands } from '../src/catalog.ts';
import { resolveRole } from '../src/core/policy.ts';
import { roleAtLeast } from '../src/core/roles.ts';
import { textMessage } from '../src/core/message.ts';
import type { Dispatch, Dispatcher } from '../src/core/transport.ts';
import { createLogger } from '../src/log.ts';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

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
  /** Interleaved rounds per variant (default 3); the median round is reported. */
  rounds?: number;
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
export const SECRET = 'bench-signing-secret-0123456789';

/** Run the three ack-latency runs in one process and print a table and the ratios. */
export async function benchSlackAck(opts: AckBenchOptions = {}): Promise<AckBenchResult> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const rate = opts.ratePerSec ?? 100;
  const count = Math.min(MAX_REQUESTS_PER_RUN, Math.round(rate * (opts.durationSec ?? 10)));
  const warmup = opts.warmup ?? 200;
  const fake = await startFakeSlackProcess();
  // The shipped example config: two environments and roles, as a real installation has.
  const example = readFileSync(new URL('../autorisen.config.example.yml', import.meta.url), 'utf8');
  const config = loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
    },
    () => example,
  );
  const logger = createLogger(config, new Writable({ write: (_c, _e, cb) => cb() }));
  const rounds = Math.max(1, opts.rounds ?? 3);
  const realistic = await (opts.realisticDispatcher ?? parseAndCheckDispatcher)(config);
  const label = opts.realisticDispatcher
    ? 'autorisen transport, real dispatcher + SQLite'
    : 'autorisen transport, parse + role check';
  const trivial: Dispatcher = { command: async () => EMPTY, action: async () => EMPTY };
  const perRound: AckBenchRun[][] = [[], [], []];
  try {
    // Interleaved rounds (bare, trivial, real, bare, …) so a burst of noise on this shared machine
    // hits every variant alike; the table shows the median round of each.
    for (let i = 0; i < rounds; i++) {
      perRound[0]!.push(await measure('bare Bolt (ack only)', await startBareBolt(), fake, rate, count, warmup));
      perRound[1]!.push(
        await measure(
          'autorisen transport, trivial dispatcher',
          await startOurs(config, logger, trivial),
          fake,
          rate,
          count,
          warmup,
        ),
      );
      perRound[2]!.push(await measure(label, await startOurs(config, logger, realistic), fake, rate, count, warmup));
    }
  } finally {
    await fake.close();
  }
  const runs = perRound.map(medianRun);
  const [bare, ours, real] = runs as [AckBenchRun, AckBenchRun, AckBenchRun];
  const result = {
    runs,
    ratioP50: ours.p50Ms / bare.p50Ms,
    ratioP99: ours.p99Ms / bare.p99Ms,
    realisticRatioP50: real.p50Ms / bare.p50Ms,
    realisticRatioP99: real.p99Ms / bare.p99Ms,
  };
  print(
    `slack ack latency, ${rate} req/s × ${count} requests per run, ${rounds} interleaved rounds (median round shown), loopback`,
  );
  for (const [i, r] of perRound[2]!.entries())
    print(`  round ${i + 1}: bare p99 ${perRound[0]![i]!.p99Ms.toFixed(2)} ms, real p99 ${r.p99Ms.toFixed(2)} ms`);
  print('| run | requests | errors | p50 ms | p99 ms | max ms |');
  print('|---|---|---|---|---|---|');
  for (const r of runs)
    print(
      `| ${r.name} | ${r.requests} | ${r.errors} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.maxMs.toFixed(2)} |`,
    );
  print(`ratio ours/bare (trivial dispatcher): p50 ${result.ratioP50.toFixed(2)}×, p99 ${result.ratioP99.toFixed(2)}×`);
  print(
    `ratio ours/bare (${real.name}): p50 ${result.realisticRatioP50.toFixed(2)}×, p99 ${result.realisticRatioP99.toFixed(2)}×`,
  );
  return result;
}

/** The round with the median p99 (its p50 and max come with it, so a row is one real run). */
function medianRun(runs: AckBenchRun[]): AckBenchRun {
  const sorted = [...runs].sort((a, b) => a.p99Ms - b.p99Ms);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** The fake Slack API in a child process (see fake-slack-process.ts). */
export async function startFakeSlackProcess(): Promise<{ url: string; apiUrl: string; close(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./fake-slack-process.ts', import.meta.url).pathname],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [line] = await new Promise<string[]>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', (l) => resolve([l]));
    child.once('exit', (code) => reject(new Error(`fake Slack process exited (${code}) before it started`)));
  });
  const { url, apiUrl } = JSON.parse(line!) as { url: string; apiUrl: string };
  return {
    url,
    apiUrl,
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

const EMPTY: Dispatch = { ack: null, done: Promise.resolve() };

/** Stand-in for the real dispatcher's pre-ack work: tokenise, parse by the command's options, resolve the role, check it. */
function parseAndCheckDispatcher(config: Config): Dispatcher {
  const registry = new Registry(commands);
  return {
    async command(req) {
      const parsed = parseCommandText(registry, req.text);
      if (!parsed.ok) return { ack: textMessage(parsed.error), done: Promise.resolve() };
      const role = resolveRole(config.roles, req.userId, []);
      if (!roleAtLeast(role, parsed.command.permission))
        return { ack: textMessage('Changing production needs the operator role.'), done: Promise.resolve() };
      return EMPTY;
    },
    action: async () => EMPTY,
  };
}

export interface Running {
  url: string;
  stop(): Promise<void>;
}

export async function startBareBolt(): Promise<Running> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, port: 0 });
  const app = new App({ receiver, authorize: async () => ({ botToken: 'xoxb-bench' }), logLevel: undefined });
  app.command('/autorisen', async ({ ack }) => {
    await ack();
  });
  const server = (await app.start(0)) as Server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => app.stop() as Promise<void> };
}

export async function startOurs(
  config: Config,
  logger: ReturnType<typeof createLogger>,
  dispatcher: Dispatcher,
): Promise<Running> {
  const t = createSlackTransport({ config, dispatcher, logger, isHealthy: async () => true });
  const { url } = await t.start();
  return { url, stop: () => t.stop() };
}

async function measure(
  name: string,
  target: Running,
  fake: { url: string },
  rate: number,
  count: number,
  warmup: number,
): Promise<AckBenchRun> {
  try {
    const args = JSON.stringify({ url: target.url, secret: SECRET, responseBase: fake.url, rate, count, warmup });
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', new URL('./ack-load-process.ts', import.meta.url).pathname, args],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      // 'close', not 'exit': 'exit' can come before the last stdout chunk has been read.
      child.once('close', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`load generator exited with ${code}`)),
      );
    });
    const { latencies: ok, errors } = JSON.parse(out) as { latencies: number[]; errors: number };
    const pct = (p: number) => ok[Math.min(ok.length - 1, Math.floor((p / 100) * ok.length))] ?? NaN;
    return { name, requests: count, errors, p50Ms: pct(50), p99Ms: pct(99), maxMs: ok.at(-1) ?? NaN };
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
