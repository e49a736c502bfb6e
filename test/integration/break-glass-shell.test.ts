import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

/** Break-glass (issue 23 §2) in the shell sandbox: the typed prompt instead of Slack's modal. */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-glass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('break-glass in the shell', () => {
  it('asks for the environment name, refuses a wrong one, runs on the right one, and asks someone else to review', async () => {
    const { code, out } = await runShell(
      [
        '/as UADMIN01 admin',
        '/autorisen flag on production --break-glass --reason "outage"',
        'prod',
        'production',
        '1',
        '/as U0OPS0002 operator',
        '1',
      ],
      { SQLITE_PATH: join(dir, 'glass.db') },
      dir,
    );
    expect(code).toBe(0);
    expect(out).toContain("Type the environment's name to confirm: (or /cancel)");
    expect(out).toContain("That is not the environment's name; nothing was run. Type production exactly to confirm.");
    expect(out).toMatch(/\[ALERT\] Break-glass by @UADMIN01 in production: .* Reason: outage/);
    expect(out).toMatch(/turned the rollout flag on in production/);
    expect(out).toContain('[ALERT] Break-glass review needed: @UADMIN01');
    expect(out).toContain('You ran this break-glass change, so you cannot review it yourself');
    expect(out).toContain('You acknowledged the break-glass review');
    expect(out).toContain('was reviewed by @U0OPS0002');
  });

  it('/cancel at the prompt runs nothing', async () => {
    const { out } = await runShell(
      [
        '/as UADMIN01 admin',
        '/autorisen flag on production --break-glass --reason "outage"',
        '/cancel',
        '/autorisen flag status production',
      ],
      { SQLITE_PATH: join(dir, 'cancel.db') },
      dir,
    );
    expect(out).toContain('Cancelled; nothing was run.');
    expect(out).toMatch(/production \(capecraft\): FEATURE_AUTORISEN "false" \(off\)/);
  });
});
