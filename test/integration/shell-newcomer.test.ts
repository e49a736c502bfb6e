import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

/**
 * The shell as a newcomer meets it on a fresh clone (issue 19 item 6): typos and locks are answered
 * without stack traces in the logs, `/as` explains itself, each sandbox run starts clean, and
 * `metrics` points at what works locally.
 */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-newcomer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const run = (lines: string[], env: Record<string, string> = {}) => runShell(lines, env, dir);

/** The JSON log lines the bot wrote to stderr. */
function logLines(err: string): Record<string, unknown>[] {
  return err
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('the local shell for a newcomer', () => {
  it('an unknown environment or branch and a locked environment are logged at info, without a stack', async () => {
    const { code, out, err } = await run(
      [
        '/autorisen deploy nowhere',
        '/autorisen deploy staging no-such-branch',
        '/autorisen lock staging demo at 3pm',
        '/as U0OPS0002 operator',
        '/autorisen deploy staging',
      ],
      { LOG_LEVEL: 'info' },
    );
    expect(code).toBe(0);
    expect(out).toContain('There is no environment "nowhere"');
    expect(out).toContain('staging is locked by @ULOCAL');
    const failed = logLines(err).filter((l) => l.msg === 'command failed');
    expect(failed.map((l) => [l.level, l.code])).toEqual([
      [30, 'not_found'],
      [30, 'github_not_found'],
      [30, 'locked'],
    ]);
    for (const l of failed) {
      expect(l).not.toHaveProperty('err');
      expect(JSON.stringify(l)).not.toContain('    at ');
      expect(l.reason).toEqual(expect.any(String));
    }
    // At the shell's default level (warn) the terminal shows the conversation only.
    const quiet = await run(['/autorisen deploy nowhere']);
    expect(quiet.err).not.toContain('command failed');
  }, 60_000);

  it('/as alone shows its usage; metrics with no data points at /drain-replay; no resume promised', async () => {
    const { out } = await run(['/as', '/autorisen metrics', '/autorisen release']);
    expect(out).toContain('Usage: /as <user> [role]');
    expect(out).not.toContain('Unknown shell command');
    expect(out).toMatch(/No log drain data for production .*\/drain-replay examples\/logdrain-sample\.txt production/);
    expect(out).not.toContain('LOGDRAIN_PASSWORD_PRODUCTION');
    // A release left at its approval gate ends with this run's fresh database: no resume is promised.
    expect(out).toContain('1 command(s) still wait for an answer; they end with this run');
  }, 30_000);

  it('each sandbox run starts with a fresh database unless SQLITE_PATH is set', async () => {
    const first = await run(['/autorisen lock staging demo at 3pm']);
    expect(first.out.split('\n')[0]).toContain('fresh for this run too; set SQLITE_PATH to keep one');
    expect(first.out).toMatch(/locked staging/i);
    // The lock of the previous run is gone with its database, as the simulated releases are.
    const second = await run(['/autorisen lock staging demo at 4pm']);
    expect(second.out).not.toContain('already locked');
    expect(second.out).toMatch(/locked staging/i);

    const kept = { SQLITE_PATH: join(dir, 'kept.db') };
    await run(['/autorisen lock staging demo at 3pm'], kept);
    const again = await run(['/autorisen lock staging demo at 4pm'], kept);
    expect(again.out.split('\n')[0]).not.toContain('fresh for this run');
    expect(again.out).toMatch(/already locked|is locked by/);
  }, 60_000);
});
