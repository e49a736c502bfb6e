import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

/**
 * The storm's senders, in a child process of the benchmark: real senders (Sentry) are
 * other machines, so building, signing and sending the requests must not share the bot's event
 * loop, or the benchmark measures the client as much as the bot.
 */
export interface SenderJob {
  port: number;
  secret: string;
  total: number;
  distinct: number;
  concurrency: number;
}

/** What the sender reports back: statuses counted and the wall time from first send to last answer. */
export interface SenderResult {
  accepted: number;
  rejected: number;
  seconds: number;
}

async function run(job: SenderJob): Promise<SenderResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  // The real Sentry docs issue alert; each event gets its own event_id, as Sentry does.
  const template = JSON.parse(
    readFileSync(new URL('../test/fixtures/sentry/event_alert_triggered.docs.json', import.meta.url), 'utf8'),
  ) as { data: { event: Record<string, unknown> } };
  const bodyFor = (i: number) => {
    template.data.event.event_id = `bench${String(i).padStart(27, '0')}`;
    template.data.event.issue_id = String(100_000 + (i % job.distinct));
    return Buffer.from(JSON.stringify(template));
  };
  const post = (body: Buffer) =>
    new Promise<number>((resolve, reject) => {
      const sig = createHmac('sha256', job.secret).update(body).digest('hex');
      const headers = {
        'content-type': 'application/json',
        'content-length': body.length,
        'sentry-hook-resource': 'event_alert',
        'sentry-hook-signature': sig,
      };
      const req = request(
        { host: '127.0.0.1', port: job.port, path: '/hooks/sentry', method: 'POST', agent, headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  let accepted = 0;
  let rejected = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.total) {
        const status = await post(bodyFor(next++));
        if (status === 202) accepted++;
        else rejected++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { accepted, rejected, seconds };
}

// Started by bench/alerts-storm.ts with fork(): one job in over IPC, one result back.
if (process.send) {
  process.once('message', (job: SenderJob) => {
    run(job).then(
      (r) => process.send!(r),
      (err: unknown) => process.send!({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
