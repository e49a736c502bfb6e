import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { FakeSlackApi } from '../test/fakes/fake-slack-api.ts';
import { buildPackage } from '../test/support/built-package.ts';
import { fastapiBench, fastapiBenchRevision } from './diff-fixtures.ts';
import { bootToHealthz, freePort, median, stop, treeRss, wallMs } from './startup-procs.ts';

/**
 * Start-up and footprint of the production build (what the Procfile runs) against a bare Bolt app
 * in the same run: cold boot to /healthz 200, idle RSS of the whole process tree, RSS after a burst
 * of signed slash commands (the ack benchmark's load generator), and the CLI's wall time.
 * Targets (issue 10): boot < 1 s, idle RSS < 120 MiB, CLI start-up < 0.3 s.
 */
const SECRET = 'bench-signing-secret-0123456789';
const ROUNDS = 5;
const MiB = 2 ** 20;

const BARE_BOLT = `import { App, HTTPReceiver } from '@slack/bolt';
const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, port: Number(process.env.PORT),
  customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => { res.writeHead(200); res.end('{"ok":true}'); } }] });
const app = new App({ receiver, token: process.env.SLACK_BOT_TOKEN, clientOptions: { slackApiUrl: process.env.SLACK_API_URL } });
app.command('/autorisen', async ({ ack }) => { await ack(); });
await app.start(Number(process.env.PORT));
process.on('SIGTERM', () => app.stop().then(() => process.exit(0)));
`;

export async function benchStartup(print: (l: string) => void = console.log): Promise<void> {
  print(
    `load average before: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  const dir = buildPackage();
  writeFileSync(join(dir, 'bare-bolt.mjs'), BARE_BOLT);
  const slack = await FakeSlackApi.start();
  const env = (port: number): Record<string, string> => ({
    PATH: process.env.PATH ?? '',
    PORT: String(port),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    SQLITE_PATH: join(dir, `bench-${port}.db`),
    LOG_LEVEL: 'warn',
  });
  const variants = [
    { name: 'bare Bolt app (node)', args: ['bare-bolt.mjs'] },
    { name: 'autorisen-bot, Procfile web (node dist/src/main.js)', args: ['dist/src/main.js'] },
  ];
  const rows = variants.map((v) => ({
    ...v,
    boot: [] as number[],
    cpu: [] as number[],
    idle: [] as number[],
    procs: 0,
    loaded: [] as number[],
  }));
  try {
    // Interleaved rounds so noise from other work on the machine hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of rows) {
        const port = await freePort();
        const { child, bootMs, cpuMs } = await bootToHealthz(process.execPath, row.args, {
          cwd: dir,
          env: env(port),
          port,
        });
        row.boot.push(bootMs);
        row.cpu.push(cpuMs);
        await new Promise((r) => setTimeout(r, 1000));
        const idle = treeRss(child.pid!);
        row.idle.push(idle.bytes);
        row.procs = idle.processes;
        if (round === 0) {
          await drive(`http://127.0.0.1:${port}`, slack.url);
          row.loaded.push(treeRss(child.pid!).bytes);
        }
        await stop(child);
      }
    }
  } finally {
    await slack.close();
  }
  print(
    `| process | processes | cold boot to /healthz 200 (median of ${ROUNDS}) | CPU by then | idle RSS | RSS after 1,000 slash commands |`,
  );
  print('|---|---|---|---|---|---|');
  for (const r of rows)
    print(
      `| ${r.name} | ${r.procs} | ${median(r.boot).toFixed(0)} ms | ${median(r.cpu).toFixed(0)} ms | ${(median(r.idle) / MiB).toFixed(0)} MiB | ${(r.loaded[0]! / MiB).toFixed(0)} MiB |`,
    );
  const [bare, ours] = rows as [(typeof rows)[0], (typeof rows)[0]];
  print(
    `ratio ours/bare: boot ${(median(ours.boot) / median(bare.boot)).toFixed(2)}× (CPU ${(median(ours.cpu) / median(bare.cpu)).toFixed(2)}×), idle RSS ${(median(ours.idle) / median(bare.idle)).toFixed(2)}×, RSS after load ${(ours.loaded[0]! / bare.loaded[0]!).toFixed(2)}×`,
  );

  // The CLI: two tiny specs, and the 500-operation pair, against plain `node` starting and exiting.
  const tiny = JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {} });
  writeFileSync(join(dir, 'tiny.json'), tiny);
  const base = fastapiBench();
  writeFileSync(join(dir, 'base-500.json'), JSON.stringify(base));
  writeFileSync(join(dir, 'rev-500.json'), JSON.stringify(fastapiBenchRevision(base)));
  const cli = ['bin/autorisen.js', 'diff'];
  const cases = [
    { name: 'baseline: node -e "" (Node start-up alone)', args: ['-e', ''] },
    { name: 'autorisen diff tiny.json tiny.json', args: [...cli, 'tiny.json', 'tiny.json'] },
    { name: 'autorisen diff, 500-operation pair', args: [...cli, 'base-500.json', 'rev-500.json'] },
  ];
  const times = cases.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++)
    for (const [i, c] of cases.entries()) times[i]!.push(await wallMs(process.execPath, c.args, dir));
  print(`\n| CLI run (compiled, installed-package layout) | wall time (median of ${ROUNDS}) | ratio to node -e "" |`);
  print('|---|---|---|');
  for (const [i, c] of cases.entries())
    print(
      `| ${c.name} | ${median(times[i]!).toFixed(0)} ms | ${(median(times[i]!) / median(times[0]!)).toFixed(2)}× |`,
    );
  print(
    `load average after: ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
}

/** 1,000 signed slash commands at 100/s through the ack benchmark's load generator process. */
async function drive(url: string, slackUrl: string): Promise<void> {
  const opts = { url, secret: SECRET, responseBase: slackUrl, rate: 100, count: 1000, warmup: 50 };
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./ack-load-process.ts', import.meta.url).pathname, JSON.stringify(opts)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve) => {
    createInterface({ input: child.stdout! }).once('line', () => resolve());
    child.once('exit', () => resolve());
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStartup();
