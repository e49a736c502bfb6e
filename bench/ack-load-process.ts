import { SlackDriver } from '../test/drivers/slack-driver.ts';

/**
 * The load generator of the ack benchmark, in its own process: Slack is another machine, so the
 * clock must stop when the ack reaches the client, not when the server's event loop — busy with the
 * follow-up work it starts right after the ack — lets an in-process client read it.
 * argv[2] = JSON {url, secret, responseBase, rate, count, warmup}; prints the sorted latencies (ms)
 * of successful requests and the error count as one JSON line.
 */
const o = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  secret: string;
  responseBase: string;
  rate: number;
  count: number;
  warmup: number;
  /** The command to send (default: a flag flip); `busy` counts acks that said the bot was busy. */
  text?: string;
  /** Print `warm` on a line of its own once the warm-up is done (the parent then starts its CPU clock). */
  signalWarm?: boolean;
};
const driver = new SlackDriver({ baseUrl: o.url, signingSecret: o.secret, responseBase: o.responseBase });
for (let i = 0; i < o.warmup; i++) await driver.command('flag status production');
if (o.signalWarm) await new Promise((r) => process.stdout.write('warm\n', r));
const gapMs = 1000 / o.rate;
const started = performance.now();
const pending: Promise<number | null>[] = [];
let busy = 0;
for (let i = 0; i < o.count; i++) {
  // Open loop: request i goes out at started + i·gap whether or not earlier ones finished.
  const wait = started + i * gapMs - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  pending.push(
    driver.command(o.text ?? `flag on production --reason "bench ${i}"`).then(
      (r) => {
        if (/busy/.test(String((r.json as { text?: unknown } | null)?.text ?? ''))) busy++;
        return r.status === 200 ? r.elapsedMs : null;
      },
      () => null,
    ),
  );
}
const results = await Promise.all(pending);
const ok = results.filter((x): x is number => x !== null).sort((a, b) => a - b);
// Exit only once the pipe has taken the whole report: process.exit() right after write() cut a large
// report short (stdout to a pipe is asynchronous), and the parent then failed to parse it.
process.stdout.write(`${JSON.stringify({ latencies: ok, errors: o.count - ok.length, busy })}\n`, () =>
  process.exit(0),
);
