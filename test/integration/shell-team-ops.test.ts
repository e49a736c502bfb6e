import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

/** Lock queues and the drift digest (issue 23 §3–4) in the shell sandbox of a fresh clone. */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('team operations in the shell sandbox', () => {
  it('queues for a locked environment, is told with Run now when it is unlocked, and previews the drift digest', async () => {
    const { code, out } = await runShell(
      [
        '/drift',
        '/autorisen lock staging demo',
        '/as U0OPS0002 operator',
        '/autorisen flag on staging --reason "try"',
        '1',
        '/autorisen locks',
        '/as ULOCAL',
        '/autorisen unlock staging',
        '/as U0OPS0002 operator',
        '/autorisen flag on staging --reason "try"',
        '/drift 0',
        '/drift soon',
      ],
      { SQLITE_PATH: join(dir, 'ops.db') },
      dir,
    );
    expect(code).toBe(0);
    expect(out).toContain('Nothing has drifted for 2 d or more; no digest would be posted.');
    expect(out).toContain('[1] Queue me');
    expect(out).toContain('You are number 1 in the queue for staging');
    expect(out).toContain('1. @U0OPS0002 since 0 min ago: flag on staging --reason "try"');
    expect(out).toContain('choices: [2] Run now');
    expect(out).toContain('staging is no longer locked: your turn in its queue');
    expect(out).toMatch(/\[#C0ROLLOUT1 message \d+\.000\] \[i\] Drift digest, \d{4}-\d\d-\d\d: 2 thing\(s\)/);
    expect(out).toContain('FEATURE_AUTORISEN is on in staging only, for 0 d');
    expect(out).toContain('Usage: /drift [days]');
  });
});
