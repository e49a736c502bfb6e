import { createWriteStream } from 'node:fs';
import { createApp, type AppOptions } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import type { Clock } from '../../src/ports/clock.ts';

/**
 * One bot instance in its own process, as a Heroku web dyno (issue 19 §7): the real app on the system
 * clock, HTTP mode. argv[2] = JSON {env, yaml, logFile, options}. Prints `{"url"}` once listening;
 * SIGTERM stops it gracefully (as Heroku does), SIGKILL is a crash.
 */
interface InstanceJob {
  env: Record<string, string>;
  yaml: string;
  logFile: string;
  options: Partial<Omit<AppOptions, 'clock' | 'logger'>>;
  /**
   * Real time, but no sleep longer than this: a release's approval gate re-reads its approval every
   * 30 s, and a click that reaches another instance than the gate's driver is seen at that re-read
   * (issue 19 §5 wakes it at once); waking often keeps the test from waiting the poll out.
   */
  maxSleepMs?: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as InstanceJob;
const config = loadConfig(job.env, () => job.yaml);
const logger = createLogger(config, createWriteStream(job.logFile) as never);
const cap = job.maxSleepMs ?? Number.POSITIVE_INFINITY;
const clock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, cap))),
};
const app = await createApp(config, { logger, clock, ...job.options });
const { url } = await app.start();
process.stdout.write(`${JSON.stringify({ url })}\n`);
// The test process holds our stdin: when it goes (even killed), so do we, rather than linger orphaned.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.on('SIGTERM', () => {
  void app.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
