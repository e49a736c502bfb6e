import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

/** N-of-M approvals in the shell sandbox (issue 23 §5): the example config with `flag_on: 2` for production. */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-nofm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const example = readFileSync(new URL('../../autorisen.config.example.yml', import.meta.url), 'utf8');
const config = example.replace(/ {2}# rules:\n {2}# {3}production: .*\n/, '  rules:\n    production: { flag_on: 2 }\n');

describe('N-of-M approvals in the shell sandbox', () => {
  it('runs flag on production only at the second distinct approver, saying how many are still needed', async () => {
    expect(config).toContain('production: { flag_on: 2 }');
    writeFileSync(join(dir, 'autorisen.config.yml'), config);
    const { code, out } = await runShell(
      [
        '/autorisen flag on production',
        '/as U0OPS0002 operator',
        '1',
        '1',
        '/autorisen flag status production',
        '/as U0OPS0003 operator',
        '1',
        '/autorisen flag status production',
      ],
      { SQLITE_PATH: join(dir, 'sandbox.db') },
      dir,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/2 other operators have 30 min to approve it/);
    expect(out).toMatch(/your approval is counted; 1 more approval needed before it runs/);
    expect(out).toMatch(/Approved so far: @U0OPS0002 · 1 more approval needed \(of 2\)/);
    expect(out).toMatch(/already approved this request; 1 more approval needed/);
    const [beforeSecond, afterSecond] = out.split('You are now @U0OPS0003');
    expect(beforeSecond).toMatch(/production \(capecraft\): FEATURE_AUTORISEN "false" \(off\)/);
    expect(afterSecond).toMatch(/done by @U0OPS0002 and @U0OPS0003/);
    expect(afterSecond).toMatch(/production \(capecraft\): FEATURE_AUTORISEN "true" \(on\)/);
  });
});
