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

async function checklist(w: ReleaseWorld, text = 'checklist'): Promise<string> {
  const res = await w.b.driver.command(text, { userId: USERS.vic, channelId: CHANNEL });
  const [reply] = await w.b.slack.waitForResponses(1, res.responseId);
  return String((reply!.body as { text?: string }).text ?? JSON.stringify(reply!.body));
}

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
    expect(item(text, 4)).toMatch(/staging: 3 pass.*production: 2 pass/su);
    expect(item(text, 5)).toContain(`staging: \`${w.shas.head.slice(0, 7)}\` green`);
    expect(item(text, 6)).toContain('backfill: done');
    expect(item(text, 7)).toContain('open alerts: staging 0, production 0');
    expect(item(text, 8)).toMatch(/release of main — done/);
  });

  it('shows a mixed state: no backup, red CI in production, no release yet, a failing probe', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS, releaseTasks: ['backfill'] });
    w.github.setChecks(REPO, w.shas.base, [{ name: 'test', status: 'completed', conclusion: 'failure' }]);
    w.capecraft.flagOn = true; // the namespaced health answers 200 where production's probe expects 404 (flag off)
    const text = await checklist(w);
    expect(text).toMatch(/\d of 8 green/);
    expect(item(text, 1)).toMatch(/^⚠️ 1\. .*no backup of production yet/su);
    expect(item(text, 4)).toMatch(/^❌ 4\./u);
    expect(item(text, 5)).toMatch(/^❌ 5\. .*production: `\w{7}` red \(test\)/su);
    expect(item(text, 6)).toMatch(/^⚠️ 6\. .*backfill: never run/su);
    expect(item(text, 8)).toMatch(/^⚠️ 8\. .*no release has run yet/su);
  });

  it('refuses an unknown environment by name, listing the known ones', async () => {
    w = await bootReleaseWorld();
    const text = await checklist(w, 'checklist prodution');
    expect(text).toContain('There is no environment "prodution". Known: staging, production.');
  });
});
