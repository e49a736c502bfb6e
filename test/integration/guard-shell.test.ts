import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

/**
 * Issue 21 in the shell sandbox on a fresh clone: a healthy drain, `flag on production` (approved),
 * then a replayed regression right after the flip; the guard trips and runs the kill switch.
 */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-guard-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const examples = join(import.meta.dirname, '../../examples');

describe('the guard in the shell sandbox', () => {
  it('/drain-replay of a regression after a flip shows the guard trip and the flag go off', async () => {
    const { code, out } = await runShell(
      [
        `/drain-replay ${join(examples, 'logdrain-sample.txt')} production`,
        '/autorisen flag on production',
        '/as U0OPS0002 operator',
        '1',
        `/drain-replay ${join(examples, 'guard-regression.txt')} production`,
        '/autorisen flag status production',
      ],
      { SQLITE_PATH: join(dir, 'guard.db') },
      dir,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/Guarding FEATURE_AUTORISEN went on \(v\d+\) for 30 min/);
    expect(out).toMatch(/The guard turned FEATURE_AUTORISEN off \(read back: "false"\)/);
    expect(out).toMatch(/5xx ratio/);
    expect(out).toMatch(/production \(capecraft\): FEATURE_AUTORISEN "false" \(off\)/);
  });
});
