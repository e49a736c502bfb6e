import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

/**
 * Scheduled flag changes (issue 23 §1) in the shell sandbox of a fresh clone, offline: the shell
 * runs on the real clock, so `in 2m` runs two real minutes later; here it is scheduled, its dry run
 * shown, listed and cancelled.
 */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-sched-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scheduled flag changes in the shell sandbox', () => {
  it('schedules, shows the plan of a dry run, lists and cancels', async () => {
    const { code, out } = await runShell(
      [
        '/autorisen flag on staging in 2h --dry-run',
        '/autorisen flag on staging in 2m --reason "try it"',
        '/autorisen schedule',
        '/autorisen flag on staging at 09:00',
        '/autorisen schedule cancel nope',
      ],
      { SQLITE_PATH: join(dir, 'sched.db') },
      dir,
    );
    expect(code).toBe(0);
    expect(out).toContain('[dry-run]');
    expect(out).toMatch(/Runs at \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(out).toMatch(/\[scheduled\] Scheduled S[0-9A-Z]+: FEATURE_AUTORISEN on in staging at/);
    expect(out).toContain('Scheduled flag changes (times in UTC)');
    expect(out).toContain('no approval needed');
    expect(out).toContain('ambiguous (today or tomorrow?)');
    expect(out).toContain('No scheduled change nope');
  });
});
