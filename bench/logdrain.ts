import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from '../src/adapters/store/migrate.ts';
import { createStoreFromDb } from '../src/adapters/store/sql-store.ts';
import { openSqliteDb } from '../src/adapters/store/sqlite.ts';
import { logdrainRoute } from '../src/adapters/webhooks/logdrain-route.ts';
import { loadConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createLogdrainIntake } from '../src/services/drain/logdrain-intake.ts';
import type { DrainSenderJob, DrainSenderResult } from './logdrain-sender.ts';

/**
 * Log drain throughput: realistic Logplex batches (~100 lines: router lines, runtime metrics, app
 * lines) POSTed over loopback by a child process into the real /hooks/logdrain route, with the
 * per-minute aggregates persisted in SQLite before every 200. Baseline in the same run: a bare
 * node:http server that reads and discards the body. The run goes in phases of growing size and
 * the bot process's peak RSS is reported after each, which must stay flat (no per-line state).
 */
const PASSWORD = 'bench-drain-password-0123';
const TOKEN = 'd.fc6b856b-3332-4546-93de-7d0ee272c3bd';
const AUTH = `Basic ${Buffer.from(`production:${PASSWORD}`).toString('base64')}`;

export interface LogdrainBenchResult {
  baselineLinesPerSec: number;
  /** `cpuMicrosPerLine`: the bot process's CPU per line (steadier than the rate on a shared machine). */
  phases: { lines: number; seconds: number; linesPerSec: number; peakRssMb: number; cpuMicrosPerLine: number }[];
  linesPerSec: number;
  ratioToBaseline: number;
  minutesStored: number;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

export async function benchLogdrain(
  opts: { phases?: number[]; concurrency?: number } = {},
): Promise<LogdrainBenchResult> {
  const phases = opts.phases ?? [1_000, 2_000, 4_000];
  const concurrency = opts.concurrency ?? 16;
  const dir = mkdtempSync(join(tmpdir(), 'autorisen-drain-'));
  const yaml =
    'environments:\n  - {name: production, heroku_app: capecraft, github_repo: a/b, base_url: "https://x.example"}\n';
  const config = loadConfig(
    { LOGDRAIN_PASSWORD_PRODUCTION: PASSWORD, AUTORISEN_CONFIG: 'bench.yml', LOG_LEVEL: 'info' },
    () => yaml,
  );
  const log = createLogger(config);
  const db = openSqliteDb(join(dir, 'bench.db'));
  await migrate(db);
  const store = createStoreFromDb(db);
  const route = logdrainRoute({
    config,
    log,
    now: () => Date.now(),
    sink: createLogdrainIntake({ store, log, retentionMs: config.logdrain.retentionDays * 86_400_000 }),
  });
  const bot = createServer((req, res) => void route.handler(req, res));
  const botPort = await listen(bot);
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  const barePort = await listen(bare);
  const sender = fork(fileURLToPath(new URL('./logdrain-sender.ts', import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let frame = 0;
  const send = (port: number, posts: number) =>
    new Promise<DrainSenderResult>((resolve, reject) => {
      sender.once('message', (m: DrainSenderResult | { error: string }) =>
        'error' in m ? reject(new Error(m.error)) : resolve(m),
      );
      const job: DrainSenderJob = { port, posts, concurrency, authorization: AUTH, token: TOKEN, firstFrame: frame };
      frame += posts;
      sender.send(job);
    });
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  try {
    // Warm both up first (JIT, SQLite pages, sockets), so the phases compare steady states.
    await send(barePort, 500);
    await send(botPort, 500);
    const base = await send(barePort, phases[0]!);
    const baselineLinesPerSec = base.lines / base.seconds;
    console.log(`baseline (bare node:http, body read and discarded): ${Math.round(baselineLinesPerSec)} lines/s`);
    const out: LogdrainBenchResult['phases'] = [];
    for (const posts of phases) {
      const cpu0 = process.cpuUsage();
      const r = await send(botPort, posts);
      const cpu = process.cpuUsage(cpu0);
      if (r.failed) throw new Error(`${r.failed} drain POSTs failed`);
      const row = {
        lines: r.lines,
        seconds: r.seconds,
        linesPerSec: r.lines / r.seconds,
        peakRssMb: peak / 2 ** 20,
        cpuMicrosPerLine: (cpu.user + cpu.system) / r.lines,
      };
      out.push(row);
      console.log(
        `/hooks/logdrain, ${posts} POSTs: ${r.lines} lines in ${r.seconds.toFixed(2)} s = ${Math.round(row.linesPerSec)} lines/s, bot CPU ${row.cpuMicrosPerLine.toFixed(1)} µs/line; peak RSS so far ${row.peakRssMb.toFixed(0)} MB`,
      );
    }
    const lines = out.reduce((s, p) => s + p.lines, 0);
    const secs = out.reduce((s, p) => s + p.seconds, 0);
    const minutesStored = (await store.drainMetrics.minutes('production', 0, Date.now() + 60_000)).length;
    const linesPerSec = lines / secs;
    console.log(
      `overall ${Math.round(linesPerSec)} lines/s (${(linesPerSec / baselineLinesPerSec).toFixed(2)} × the bare server), ${minutesStored} environment-minutes stored`,
    );
    return {
      baselineLinesPerSec,
      phases: out,
      linesPerSec,
      ratioToBaseline: linesPerSec / baselineLinesPerSec,
      minutesStored,
    };
  } finally {
    clearInterval(sample);
    sender.kill();
    bot.closeAllConnections();
    bare.closeAllConnections();
    bot.close();
    bare.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchLogdrain();
  process.exit(0);
}
