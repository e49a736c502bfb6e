import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createHerokuAdapter } from '../src/adapters/heroku/heroku-adapter.ts';
import { HerokuReadCache } from '../src/adapters/heroku/heroku-read-cache.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { benchDispatcher } from './real-dispatcher.ts';
import { createLogger } from '../src/log.ts';
import { WorkLimiter } from '../src/services/dispatch/work-limiter.ts';
import { SECRET, startBareBolt, startFakeSlackProcess, startOurs, type Running } from './slack-ack.ts';

/**
 * Ack latency under load of a Heroku-reading command (`flag status production`), issue 13: the real
 * dispatcher, commands, SQLite store and Heroku adapter (read cache, budget, bounded follow-up
 * work) against the fake Heroku API and the fake Slack API, each in its own process, and a bare Bolt
 * app measured in the same run. Open-loop load from a third process, 60 s per run by default.
 * Done when: every ack < 1 s, p99 within 2× of bare Bolt, RSS flat, overload answered "busy".
 */
export interface ReadAckRow {
  rate: number;
  name: string;
  requests: number;
  errors: number;
  busy: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rss?: { startMb: number; maxFirst10sMb: number; maxLast10sMb: number; liveStartMb: number; liveEndMb: number };
  /** The server process's CPU (user + system, all threads) per request, warm-up and drain included. */
  cpuUsPerReq: number;
  herokuRequests?: number;
}

export async function benchHerokuReadAck(
  opts: { rates?: number[]; durationSec?: number; print?: (l: string) => void } = {},
): Promise<ReadAckRow[]> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const rates = opts.rates ?? [200, 500];
  const durationSec = opts.durationSec ?? 60;
  const slack = await startFakeSlackProcess();
  const heroku = await startFakeHerokuProcess();
  const config = exampleConfig(slack.apiUrl, heroku);
  const logger = createLogger(config, new Writable({ write: (_c, _e, cb) => cb() }));
  const rows: ReadAckRow[] = [];
  try {
    for (const rate of rates) {
      const count = rate * durationSec;
      const bareCpu = process.cpuUsage();
      const bare = await load('bare Bolt (ack only)', await startBareBolt(), slack.url, rate, count);
      rows.push({ rate, ...bare, cpuUsPerReq: cpuPerRequest(bareCpu, count) });
      const { dispatcher, limiter } = await herokuDispatcher(config);
      const before = await heroku.requests();
      const rss = sampleRss();
      const oursCpu = process.cpuUsage();
      const ours = await load(
        'autorisen, real dispatcher + Heroku',
        await startOurs(config, logger, dispatcher),
        slack.url,
        rate,
        count,
      );
      // Let the follow-up work drain before reading RSS and Heroku's count.
      while (limiter.load.active + limiter.load.queued > 0) await new Promise((r) => setTimeout(r, 100));
      const cpuUsPerReq = cpuPerRequest(oursCpu, count);
      rows.push({
        rate,
        ...ours,
        cpuUsPerReq,
        rss: rss.stop(durationSec, liveHeapMb()),
        herokuRequests: (await heroku.requests()) - before,
      });
    }
  } finally {
    await slack.close();
    await heroku.close();
  }
  print(`ack latency of \`flag status production\` (reads Heroku), ${durationSec} s per run, open loop, loopback`);
  print(
    '| rate | run | requests | errors | busy acks | p50 ms | p99 ms | max ms | CPU µs/req | RSS start → max first 10 s → max last 10 s | live heap after GC, start → end | Heroku requests |',
  );
  print('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows)
    print(
      `| ${r.rate}/s | ${r.name} | ${r.requests} | ${r.errors} | ${r.busy} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.maxMs.toFixed(2)} | ${r.cpuUsPerReq.toFixed(0)} | ${r.rss ? `${r.rss.startMb} → ${r.rss.maxFirst10sMb} → ${r.rss.maxLast10sMb} MB` : ''} | ${r.rss ? `${r.rss.liveStartMb} → ${r.rss.liveEndMb} MB` : ''} | ${r.herokuRequests ?? ''} |`,
    );
  for (const rate of rates) {
    const [bare, ours] = rows.filter((r) => r.rate === rate);
    print(
      `${rate}/s: p99 ours/bare ${(ours!.p99Ms / bare!.p99Ms).toFixed(2)}×, max ack ${ours!.maxMs.toFixed(0)} ms (limit 1000 ms)`,
    );
  }
  return rows;
}

/** The shipped example config (two environments, roles) pointed at the fake Slack and Heroku processes. */
export function exampleConfig(slackApiUrl: string, heroku: { url: string; dataUrl: string; apiKey: string }): Config {
  const example = readFileSync(new URL('../autorisen.config.example.yml', import.meta.url), 'utf8');
  return loadConfig(
    {
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackApiUrl,
      HEROKU_API_KEY: heroku.apiKey,
      HEROKU_API_URL: heroku.url,
      HEROKU_DATA_API_URL: heroku.dataUrl,
      PORT: '0',
      LOG_LEVEL: 'silent',
    },
    () => example,
  );
}

/** The real dispatcher with the real Heroku adapter views (one budget and cache), as src/app.ts wires them. */
async function herokuDispatcher(config: Config) {
  const readCache = new HerokuReadCache();
  const view = (priority: 'essential' | 'low') =>
    createHerokuAdapter(config.heroku, { environments: config.environments, readCache, priority });
  const limiter = new WorkLimiter();
  const dispatcher = await benchDispatcher(config, {
    heroku: view('essential'),
    herokuReads: view('low'),
    workLimiter: limiter,
  });
  return { dispatcher, limiter };
}

function cpuPerRequest(since: NodeJS.CpuUsage, count: number): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / count;
}

/**
 * The JavaScript heap still in use after a full garbage collection: what a leak would grow. RSS also
 * holds what V8 keeps for allocation (its young generation grows to its cap under a high allocation
 * rate) and gives back only lazily, so a rise in RSS alone does not tell a leak from a warm heap.
 */
function liveHeapMb(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return Math.round(process.memoryUsage().heapUsed / 2 ** 20);
}

function sampleRss() {
  const liveStartMb = liveHeapMb();
  const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  const samples: number[] = [mb()];
  const timer = setInterval(() => samples.push(mb()), 1000);
  return {
    stop(durationSec: number, liveEndMb: number) {
      clearInterval(timer);
      const first = samples.slice(0, 11);
      const last = samples.slice(Math.max(11, Math.min(samples.length, durationSec + 1) - 10));
      return {
        startMb: samples[0]!,
        maxFirst10sMb: Math.max(...first),
        maxLast10sMb: Math.max(...(last.length ? last : first)),
        liveStartMb,
        liveEndMb,
      };
    },
  };
}

/**
 * Open-loop load of `text` (default `flag status production`) from its own process; latencies of the
 * acks, and this process's CPU (the server's: the load generator and the fakes run elsewhere) from the
 * end of the warm-up to the last ack (`cpuAcksUs`); `cpuSinceWarm` lets a caller add the drain after.
 */
export async function load(
  name: string,
  target: Running,
  responseBase: string,
  rate: number,
  count: number,
  text = 'flag status production',
) {
  let cpuSinceWarm = process.cpuUsage();
  try {
    const args = JSON.stringify({
      url: target.url,
      secret: SECRET,
      responseBase,
      rate,
      count,
      warmup: 200,
      text,
      signalWarm: true,
    });
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', new URL('./ack-load-process.ts', import.meta.url).pathname, args],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const lines: string[] = [];
      createInterface({ input: child.stdout }).on('line', (l) => {
        if (l === 'warm') cpuSinceWarm = process.cpuUsage();
        else lines.push(l);
      });
      // 'close', not 'exit': 'exit' can come before the last stdout chunk has been read.
      child.once('close', (code) =>
        code === 0 ? resolve(lines.join('')) : reject(new Error(`load generator exited with ${code}`)),
      );
    });
    const cpu = process.cpuUsage(cpuSinceWarm);
    const { latencies: ok, errors, busy } = JSON.parse(out) as { latencies: number[]; errors: number; busy: number };
    const pct = (p: number) => ok[Math.min(ok.length - 1, Math.floor((p / 100) * ok.length))] ?? Number.NaN;
    const over3s = ok.filter((ms) => ms >= 3000).length;
    return {
      name,
      requests: count,
      errors,
      busy,
      over3s,
      p50Ms: pct(50),
      p99Ms: pct(99),
      maxMs: ok.at(-1) ?? Number.NaN,
      cpuAcksUs: cpu.user + cpu.system,
      cpuSinceWarm,
    };
  } finally {
    await target.stop();
  }
}

export async function startFakeHerokuProcess() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./fake-heroku-process.ts', import.meta.url).pathname],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  const info = JSON.parse(String(first.value)) as { url: string; dataUrl: string; apiKey: string };
  return {
    ...info,
    async requests(): Promise<number> {
      child.stdin.write('?\n');
      return (JSON.parse(String((await lines.next()).value)) as { requests: number }).requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [rate, secs] = process.argv.slice(2).map(Number);
  benchHerokuReadAck(rate ? { rates: [rate], durationSec: secs || 60 } : {}).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
