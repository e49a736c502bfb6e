import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell } from '../drivers/shell-driver.ts';

const dir = mkdtempSync(join(tmpdir(), 'autorisen-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `npm start`'s entry point with no Slack credentials, and the example config. */
const run = (input: string, env: Record<string, string> = {}) =>
  runShell(
    input.split('\n').filter((l) => l !== ''),
    { SQLITE_PATH: join(dir, `shell-${Math.random()}.db`), AUTORISEN_CONFIG: 'autorisen.config.example.yml', ...env },
  );

describe('the local shell', () => {
  it('runs piped commands one per line through the dispatcher and exits at the end of input', async () => {
    const { code, out } = await run('/autorisen help\n/autorisen hlep\n/as U0OPS0001\n/autorisen audit 3\n');
    expect(code).toBe(0);
    expect(out).toContain('Commands you can run (you are an admin)');
    expect(out).toContain('Did you mean /autorisen help?');
    expect(out).toContain('You are now @U0OPS0001 (role from the config file)');
    // The operator from the example config sees the audit rows of the admin's earlier commands.
    expect(out).toMatch(/ULOCAL hlep invoke → unknown/);
  });

  it('refuses to start with a clear list when the configuration is wrong', async () => {
    const { code, err } = await run('', { PORT: 'nope', SLACK_BOT_TOKEN: 'xoxb-1' });
    expect(code).toBe(2);
    expect(err).toContain('PORT: expected a port number');
    expect(err).toContain('SLACK_SIGNING_SECRET: required');
  });
});
