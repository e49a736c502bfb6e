import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

/** A fresh clone's shell replays the shipped drain recording: metrics and threshold alerts appear. */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-replay-'));
const sample = new URL('../../examples/logdrain-sample.txt', import.meta.url).pathname;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('/drain-replay in the sandbox shell', () => {
  it('feeds the recording through the drain intake; /autorisen metrics and alerts show it', async () => {
    const r = await runShell(
      [`/drain-replay ${sample} staging`, '/autorisen metrics staging --since 1h', '/autorisen alerts staging'],
      { SQLITE_PATH: join(dir, 'replay.db') },
      dir,
    );
    expect(r.err).toBe('');
    expect(r.out).toMatch(/Replayed 960 lines \(40 min, shifted to end now\) into staging: 960 counted, 0 malformed/);
    expect(r.out).toMatch(/Log drain metrics for staging, last 1 h: 800 requests, 5xx 3\.\d%/);
    expect(r.out).toMatch(/p95 +▁+[▁▂▃▄▅▆▇█]*█[▁▂▃▄▅▆▇█]* {2}max 2\d00 ms/);
    expect(r.out).toMatch(/5xx ratio \d+\.\d% over 5 min \(rule: > 2%/);
    expect(r.out).toMatch(/2 open alerts on staging/);
    expect(r.out).toMatch(/p95 latency 2\d00 ms over 5 min \(rule: > 1500 ms/);
  });

  it('says what is wrong with a missing file or an unknown environment', async () => {
    const r = await runShell(
      ['/drain-replay /nonexistent/drain.txt', `/drain-replay ${sample} nowhere`],
      { SQLITE_PATH: join(dir, 'replay2.db') },
      dir,
    );
    expect(r.out).toMatch(/Could not read \/nonexistent\/drain\.txt: ENOENT/);
    expect(r.out).toMatch(/No environment called "nowhere"; try one of: staging, production\./);
  });
});
