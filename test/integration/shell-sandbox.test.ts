import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runShell, startShell } from '../drivers/shell-driver.ts';

/**
 * A fresh clone: `node --import tsx src/main.ts` with no Slack, Heroku or GitHub credentials and no
 * config file. The shell's sandbox must make the whole rollout workflow work locally.
 */
const dir = mkdtempSync(join(tmpdir(), 'autorisen-sandbox-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// An empty working directory has no autorisen.config.yml, even when a developer keeps one in the repo.
const run = (lines: string[]) => runShell(lines, { SQLITE_PATH: join(dir, `sandbox-${Math.random()}.db`) }, dir);

/** The output from the echo of one command up to the next one (commands are not echoed, so split on markers). */
function section(out: string, from: string, to?: string): string {
  const start = out.indexOf(from);
  expect(start, `output should contain ${from}`).toBeGreaterThanOrEqual(0);
  const end = to === undefined ? out.length : out.indexOf(to, start + from.length);
  return out.slice(start, end < 0 ? out.length : end);
}

describe('the shell sandbox on a fresh clone', () => {
  it('runs the flag workflow with an approval, releases, a deploy and the diff without any credentials', async () => {
    const { code, out, err } = await run([
      '/autorisen flag status',
      '/autorisen flag on staging --reason "try"',
      '/autorisen flag on production',
      '/as U0OPS0002 operator',
      '1',
      '/autorisen flag status production',
      '/autorisen flag off production',
      '/autorisen releases production',
      '/autorisen deploy staging',
      '/autorisen diff',
    ]);
    expect(err).not.toMatch(/HEROKU_API_KEY is not set|GITHUB_TOKEN is not set/);
    expect(code).toBe(0);

    // One banner line says what is simulated and how to use the real services.
    const banner = out.split('\n')[0]!;
    expect(banner).toMatch(/^Sandbox: Heroku \(autorisen, capecraft\) and GitHub \(capecraft\/capecraft\) simulated/);
    expect(banner).toContain('HEROKU_API_KEY / GITHUB_TOKEN');
    expect(banner).toContain('autorisen.config.yml');

    // Both environments of the example config, off, with the release that last changed the flag.
    expect(out).toMatch(/staging \(autorisen\): FEATURE_AUTORISEN "false" \(off\) · current release v4/);
    expect(out).toMatch(/production \(capecraft\): FEATURE_AUTORISEN "false" \(off\) · current release v3/);

    expect(out).toMatch(
      /@ULOCAL turned the rollout flag on in staging \(autorisen\): FEATURE_AUTORISEN "false" \(off\) → "true", release v5\..*Reason: "try"/,
    );

    const approval = section(out, 'Approval needed: flag on in production', 'You are now @U0OPS0002');
    expect(approval).toContain('"false" (off) → "true" (on)');
    expect(approval).toContain('choices: [1] Approve   [2] Reject');

    // The second operator's click turns production on: the status afterwards reads the sandbox Heroku.
    expect(out).toMatch(/done by @U0OPS0002/);
    expect(out).toMatch(/production \(capecraft\): FEATURE_AUTORISEN "true" \(on\) · current release v4/);
    expect(out).toMatch(
      /turned the rollout flag off in production \(capecraft\): FEATURE_AUTORISEN "true" \(on\) → "false", release v5/,
    );

    // Each config change made a Heroku release, newest first.
    const releases = section(out, 'Last 5 releases of production (capecraft)', '(Roll back with');
    expect(releases).toMatch(/→ v5 .*Set FEATURE_AUTORISEN config vars\s+\(current\)/);
    expect(releases).toMatch(/\n\s+v4 .*Set FEATURE_AUTORISEN config vars/);
    expect(releases).toMatch(/\n\s+v3 .*Deploy [0-9a-f]{7}/);

    // The deploy builds main on the sandbox Heroku, checks health, and reports progress in its thread.
    const deploy = section(out, 'to staging: running (step 1 of 3)', 'Comparing production → staging');
    expect(deploy).toMatch(/started the deploy of [0-9a-f]{7} \(main\) to staging \(autorisen\); v5 runs now/);
    expect(deploy).toMatch(/Heroku build [0-9a-f-]{36} started on staging/);
    expect(deploy).toContain('staging runs v6 (slug slug-');
    expect(deploy).toContain('https://autorisen.herokuapp.com/healthz answers');
    expect(deploy).toMatch(
      /Deploy [0-9a-f]{7} \(main\) to staging: done\.\nstaging runs v6 and passes its health check/,
    );

    // The diff compares the two simulated apps' documents and finds staging's breaking change.
    const diff = section(out, 'OpenAPI diff: production → staging\n');
    expect(diff).toContain('1 breaking · 0 warning · 1 non-breaking');
    expect(diff).toContain('request-new-required-property');
    expect(diff).toContain('GET /api/autorisen/widgets/ was added');
  });

  it('plans a production deploy from the simulated history, listing commits and the Alembic migration', async () => {
    const { code, out } = await run([
      '/autorisen deploy production --dry-run',
      '/autorisen diff github:capecraft/capecraft@main:openapi.json staging',
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/Commits: 2 new, by Ana Lima, Ben Okafor/);
    expect(out).toContain('Add widgets and require a sku on new items (Ana Lima)');
    expect(out).toContain('Migrations added: 0002_add_widgets.py');
    expect(out).not.toContain('is not additive');
    expect(out).toMatch(/OpenAPI \(openapi\.json\): 1 breaking, 0 warning, 1 non-breaking/);
    expect(out).toContain('Database backup: yes');
    // github: references read the sandbox repository too; main's contract is the one staging runs.
    expect(section(out, 'OpenAPI diff: github:capecraft/capecraft@main:openapi.json → staging\n')).toContain(
      '0 breaking · 0 warning · 0 non-breaking',
    );
  });

  it('runs an allow-listed task on a simulated one-off dyno and shows the checklist, without credentials', async () => {
    const { code, out } = await run(['/autorisen run staging backfill', '/autorisen checklist']);
    expect(code).toBe(0);
    const task = section(out, 'Task backfill on staging', 'Rollout checklist');
    expect(task).toContain('heroku[run.1]: Process exited with status 0');
    expect(task).toContain('nothing is executed');
    const list = section(out, 'Rollout checklist');
    expect(list).toMatch(/8\. Backup → deploy → verify → rollback runbook/);
    expect(list).toContain('flag: staging off, production off');
  });

  it('releases main to production on the sandbox clock: gates, staging and its bake, a second operator, promotion, bake, done', async () => {
    const shell = startShell({ SQLITE_PATH: join(dir, `sandbox-${Math.random()}.db`) }, dir);
    expect((await shell.waitFor(/^Sandbox: .*$/m))[0]).toContain(
      'Release bakes run on a sandbox clock: 1 min takes 0.2 s.',
    );
    shell.send('/autorisen release');
    // The release waits at its production gate for a second operator; the prompt comes back meanwhile.
    const [, approve] = await shell.waitFor(/Approval needed: release in production[\s\S]*?choices: \[(\d+)\] Approve/);
    shell.send('/as U0OPS0002 operator');
    shell.send(approve!);
    await shell.waitFor(/Finished: Release main \([0-9a-f]{7}\) to production\./);
    shell.send('/autorisen checklist');
    await shell.waitFor(/Rollout checklist[\s\S]*8\. .*\n.*release of main — done/);
    const { code, out } = await shell.end();
    expect(code).toBe(0);

    const thread = section(out, 'Release main', 'Rollout checklist');
    expect(thread).toContain('Watching staging for 10 min (sandbox clock: 10 min take 2 s).');
    expect(thread).toContain('staging stayed quiet for 10 min.');
    expect(thread).toMatch(/Backup b\d{3} finished\./);
    expect(thread).toMatch(/production runs v\d+ with staging's slug/);
    expect(thread).toContain('Watching production for 30 min (sandbox clock: 30 min take 6 s).');
    expect(thread).toContain('production stayed quiet for 30 min.');
    // The release's verify steps stored their answers: the checklist shows them with who released.
    const list = section(out, 'Rollout checklist');
    expect(list).toMatch(
      /production: no probes configured; last health check 200 — release run \S+ by @ULOCAL, 0\.\d h ago/,
    );
    expect(list).toMatch(/8\. Backup → deploy → verify → rollback runbook.*\n.*release of main — done/);

    // The root message is printed whole when posted and when done; in between one line per change,
    // no running ↔ waiting flip-flop during the bakes, and no Slack emoji code left raw.
    const root = out.split('\n').filter((l) => /^\[#CSHELL message 1\.000 updated\]/.test(l));
    expect(root.filter((l) => l.includes('Release main'))).toEqual([
      expect.stringMatching(/\[ok\] Release main \([0-9a-f]{7}\) to production: done\.$/),
    ]);
    expect(root).toContain('[#CSHELL message 1.000 updated] [waiting] Bake staging: 10 min with no new alert');
    expect(root.filter((l) => l.includes('Bake production'))).toEqual([
      '[#CSHELL message 1.000 updated] [ok] Verify production (health and contract probes) · ▶ Bake production: 30 min with no new alert',
      '[#CSHELL message 1.000 updated] [waiting] Bake production: 30 min with no new alert',
    ]);
    expect(root.length).toBeLessThanOrEqual(16);
    expect(out.split('\n').length).toBeLessThan(150);
    expect(out).not.toMatch(/:[a-z][a-z0-9_+-]*:/);
  }, 60_000);

  it('ends at end of input while a release waits for its approval; the run stays to resume at the next start', async () => {
    const { code, out } = await run(['/autorisen release']);
    expect(code).toBe(0);
    expect(out).toContain('Approval needed: release in production');
    expect(out).toContain('1 command(s) still wait for an answer; a workflow resumes where it was at the next start.');
  });
});
