import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import {
  approveGate,
  bootReleaseWorld,
  CHANNEL,
  gateMessage,
  REPO,
  releaseIn,
  type ReleaseWorld,
} from './release-harness.ts';

const TASKS = `
tasks:
  backfill:
    command: python -m scripts.backfill_autorisen
    environments: [staging, production]
`;

/** Run a command as vic (a viewer) and answer the text of its reply. */
async function reply(w: ReleaseWorld, text: string): Promise<string> {
  const res = await w.b.driver.command(text, { userId: USERS.vic, channelId: CHANNEL });
  const r = await w.b.slack.answerTo(res);
  return String((r as { text?: string }).text ?? JSON.stringify(r));
}

const checklist = (w: ReleaseWorld, text = 'checklist') => reply(w, text);

/** The line of item `n` and its evidence (up to the next item). */
function item(text: string, n: number): string {
  const start = text.search(new RegExp(`[✅⚠️❌—]+ ${n}\\. `, 'u'));
  expect(start, `item ${n} in ${text}`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + 3);
  const next = rest.search(/\n(✅|⚠️|❌|—) \d\. /u);
  return text.slice(start, next < 0 ? undefined : start + 3 + next);
}

/** Issue 11 item 5: `/autorisen checklist` over HTTP, from what the fakes answer. */
describe('/autorisen checklist', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it('is fully green after a release that ran its backfill, with a fresh backup, green CI and quiet alerts', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS, releaseTasks: ['backfill'] });
    await w.b.driver.command('release', { userId: USERS.ana, channelId: CHANNEL });
    await gateMessage(w.b);
    await approveGate(w.b, USERS.ben);
    expect((await releaseIn(() => w.b, ['done', 'failed', 'faulty'])).state).toBe('done');
    // The release's backup, finished an hour ago on the bot's clock.
    w.heroku.app('capecraft').transfers.at(-1)!.finishedAt = new Date(w.clock.now() - 3_600_000).toISOString();
    const text = await checklist(w);
    expect(text).toContain('8 of 8 green');
    expect(item(text, 1)).toMatch(/^✅ 1\. .*last backup b001, 1\.0 h ago.*no pending migrations/su);
    expect(item(text, 2)).toContain('no breaking change');
    expect(item(text, 3)).toContain('flag: staging off, production off');
    // Item 4 reads what the release's verify steps stored, with who started the release.
    expect(item(text, 4)).toMatch(
      new RegExp(
        `^✅ 4\\. .*staging: 3 pass \\(flag off\\) — release run \\S+ by <@${USERS.ana}>, 0\\.\\d h ago.*production: 2 pass`,
        'su',
      ),
    );
    expect(item(text, 5)).toContain(`staging: \`${w.shas.head.slice(0, 7)}\` green`);
    expect(item(text, 6)).toContain('backfill: done');
    expect(item(text, 7)).toContain('open alerts: staging 0, production 0');
    expect(item(text, 8)).toMatch(/release of main — done/);
  });

  it('shows a mixed state: no backup, red CI in production, no release yet, a failing probe', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS, releaseTasks: ['backfill'] });
    w.github.setChecks(REPO, w.shas.base, [{ name: 'test', status: 'completed', conclusion: 'failure' }]);
    w.capecraft.flagOn = true; // the namespaced health answers 200 where production's probe expects 404 (flag off)
    await reply(w, 'verify production');
    w.capecraft.flagOn = false; // fixed since: the checklist shows the stored failure, it does not probe again
    const text = await checklist(w);
    expect(text).toMatch(/\d of 8 green/);
    expect(item(text, 1)).toMatch(/^⚠️ 1\. .*no backup of production yet/su);
    expect(item(text, 4)).toMatch(
      new RegExp(
        `^❌ 4\\. .*production: 1 pass, failing: GET /api/autorisen/health → 200 \\(flag off\\) — verify by <@${USERS.vic}>`,
        'su',
      ),
    );
    expect(item(text, 4)).toContain('staging: no probe result stored yet; run `/autorisen verify staging`');
    expect(item(text, 5)).toMatch(/^❌ 5\. .*production: `\w{7}` red \(test\)/su);
    expect(item(text, 6)).toMatch(/^⚠️ 6\. .*backfill: never run/su);
    expect(item(text, 8)).toMatch(/^⚠️ 8\. .*no release has run yet/su);
  });

  it('says when no probe result is stored and suggests verify; a verify fills the item in', async () => {
    w = await bootReleaseWorld();
    const before = item(await checklist(w, 'checklist staging'), 4);
    expect(before).toMatch(/^— 4\. /u);
    expect(before).toContain('staging: no probe result stored yet; run `/autorisen verify staging`');
    expect(await reply(w, 'verify staging')).toContain('staging: health and 3 contract probe(s) pass');
    const after = item(await checklist(w, 'checklist staging'), 4);
    expect(after).toMatch(
      new RegExp(`^✅ 4\\. .*staging: 3 pass \\(flag off\\) — verify by <@${USERS.vic}>, 0\\.0 h ago`, 'su'),
    );
    expect(after).not.toContain('production');
  });

  it('refuses an unknown environment by name, listing the known ones', async () => {
    w = await bootReleaseWorld();
    const text = await checklist(w, 'checklist prodution');
    expect(text).toContain('There is no environment "prodution". Known: staging, production.');
  });
});
