import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertsCommand } from '../../commands/alerts.ts';
import type { CommandContext } from '../../src/ports/command.ts';
import { renderAlert } from '../../src/core/alerts/messages.ts';
import { alertGroup, testSentryAlert } from '../support/alert-group.ts';
import { runShell } from '../drivers/shell-driver.ts';
import { testDatabases } from '../support/test-databases.ts';
import { startFlagHarness, type FlagHarness } from './flag-harness.ts';

// Wording found by outside testing (issue 10 item 5); the approval and lock wording is tested in
// approvals.test.ts and deploy-commands.test.ts.
const [sqlite] = testDatabases();

describe('flag status and releases wording', () => {
  let h: FlagHarness;
  beforeEach(async () => {
    h = await startFlagHarness(sqlite!);
  });
  afterEach(() => h.cleanup());

  it('flag status shows when the flag changed as a Slack date token with a readable UTC fallback', async () => {
    await h.run('UANA', 'flag on staging --reason "try it"');
    const { text } = await h.run('UVIC', 'flag status staging');
    expect(text).toMatch(
      /last changed in v2 \(<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>\) by <@UANA>/,
    );
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });
});

describe('releases wording', () => {
  it('says "Last release", not "Last 1 releases" (local shell, sandbox)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autorisen-wording-'));
    const run = await runShell(
      ['/autorisen releases production 1', '/autorisen releases production 2'],
      { SQLITE_PATH: join(dir, 'bot.db') },
      dir,
    );
    expect(run.out).toContain('Last release of production (capecraft)');
    expect(run.out).toContain('Last 2 releases of production (capecraft)');
    expect(run.out).not.toContain('Last 1 releases');
  });
});

describe('an alert with no environment', () => {
  it('reads "unknown" in its message and in /autorisen alerts alike', async () => {
    const now = Date.UTC(2026, 10, 29, 12, 0);
    const alert = testSentryAlert({
      source: 'grafana',
      env: null,
      severity: 'warning',
      title: 'Disk almost full',
      fingerprint: 'grafana:x',
    });
    const group = alertGroup(alert, now, { channel: 'CALERTS' });
    const message = JSON.stringify(renderAlert(group, now));
    expect(message).toContain('*Environment*\\nunknown');
    const ctx = {
      env: () => undefined,
      environments: [],
      clock: { now: () => now },
      store: { alerts: { listOpen: async () => [group] } },
    } as unknown as CommandContext;
    const listed = await alertsCommand.run({ kind: 'open', env: null }, ctx);
    expect(listed.text).toContain('• [unknown] warning ×1 Disk almost full');
    expect(listed.text).not.toContain('[?]');
  });
});
