import { Agent, request } from 'node:http';

/**
 * The drain's sender, in a child process of the benchmark (Logplex is another machine): builds
 * realistic Logplex batches (~100 lines: mostly router lines, some runtime metrics and app lines)
 * and POSTs them over loopback keep-alive connections with the drain's headers.
 */
export interface DrainSenderJob {
  port: number;
  posts: number;
  concurrency: number;
  authorization: string;
  token: string;
  /** Frame ids start here, so several phases never repeat one. */
  firstFrame: number;
}

export interface DrainSenderResult {
  ok: number;
  failed: number;
  lines: number;
  seconds: number;
}

const PATHS = ['/', '/api/autorisen/session', '/api/autorisen/tokens', '/api/items', '/static/app.js', '/login'];
const STATUSES = [200, 200, 200, 200, 200, 200, 304, 200, 201, 401, 404, 200, 500, 403, 200, 200];

/** One batch of `n` lines in one minute (`minute` ms), as frames. */
export function drainBatch(seed: number, minute: number, n = 100): { body: Buffer; lines: number } {
  const parts: Buffer[] = [];
  let lines = 0;
  for (let i = 0; i < n; i++) {
    const ts = new Date(minute + ((seed * 7 + i) % 60) * 1000 + (i % 1000)).toISOString();
    const k = seed * 31 + i;
    let msg: string;
    if (i % 10 === 9) {
      const dyno = `web.${1 + (k % 3)}`;
      msg =
        i % 20 === 9
          ? `<45>1 ${ts} host heroku ${dyno} - source=${dyno} dyno=heroku.155370883.259625dd-a9c7-4987-9c86-08de28dd4f72 sample#memory_total=${(200 + (k % 300)).toFixed(2)}MB sample#memory_rss=${(190 + (k % 300)).toFixed(2)}MB sample#memory_cache=1.83MB sample#memory_swap=0.00MB sample#memory_pgpgin=355603pages sample#memory_pgpgout=333646pages sample#memory_quota=512.00MB`
          : `<45>1 ${ts} host heroku ${dyno} - source=${dyno} dyno=heroku.155370883.e764d0ed-b239-4048-9caa-38a78dfeb6d0 sample#load_avg_1m=${((k % 200) / 100).toFixed(2)} sample#load_avg_5m=0.33 sample#load_avg_15m=0.38`;
    } else if (i % 10 === 4) {
      msg = `<190>1 ${ts} host app web.${1 + (k % 3)} - INFO:     10.1.2.3:4567 - "GET ${PATHS[k % PATHS.length]} HTTP/1.1" 200 OK`;
    } else {
      const status = STATUSES[k % STATUSES.length]!;
      const service = 5 + ((k * 37) % 400) + (k % 97 === 0 ? 2500 : 0);
      msg = `<158>1 ${ts} host heroku router - at=info method=GET path="${PATHS[k % PATHS.length]}?page=${k % 5}" host=capecraft.herokuapp.com request_id=8601b555-6a83-4c12-8269-${String(k).padStart(12, '0')} fwd="204.204.204.204" dyno=web.${1 + (k % 3)} connect=${k % 3}ms service=${service}ms status=${status} bytes=${100 + (k % 5000)} protocol=https`;
    }
    const b = Buffer.from(`${msg}\n`);
    parts.push(Buffer.from(`${b.length} `), b);
    lines++;
  }
  return { body: Buffer.concat(parts), lines };
}

async function run(job: DrainSenderJob): Promise<DrainSenderResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  // 60 distinct batches over the last 10 minutes, rotated: building bodies must not be what is measured.
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const batches = Array.from({ length: 60 }, (_, s) => drainBatch(s, now - (s % 10) * 60_000));
  const post = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const b = batches[i % batches.length]!;
      const req = request(
        {
          host: '127.0.0.1',
          port: job.port,
          path: '/hooks/logdrain',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/logplex-1',
            'content-length': String(b.body.length),
            'logplex-msg-count': String(b.lines),
            'logplex-frame-id': `bench-${job.firstFrame + i}`,
            'logplex-drain-token': job.token,
            'user-agent': 'Logplex/v72',
            authorization: job.authorization,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(b.body);
    });
  let next = 0;
  let ok = 0;
  let failed = 0;
  let lines = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.posts) {
        const i = next++;
        const status = await post(i);
        if (status === 200) {
          ok++;
          lines += batches[i % batches.length]!.lines;
        } else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { ok, failed, lines, seconds };
}

if (process.send) {
  process.on('message', (job: DrainSenderJob) => {
    run(job).then(
      (r) => process.send!(r),
      (err: unknown) => process.send!({ error: err instanceof Error ? err.message : String(err) }),
    );
  });
}
