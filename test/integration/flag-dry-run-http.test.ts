import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bootApp, USERS, type BootedApp } from '../drivers/boot-app.ts';

/**
 * Issue 9 §2 over signed Slack HTTP against the fake Heroku: each text below, sent by an admin,
 * really changed staging before the strict parser. Now staging keeps its flag, the admin is told
 * exactly what was wrong, and the audit log says why nothing ran.
 */
let b: BootedApp;
beforeAll(async () => {
  b = await bootApp();
});
afterAll(async () => b?.stop());

/** `/autorisen <text>` as the admin; the reply, whether it came as the ack or on response_url. */
async function say(text: string): Promise<string> {
  const res = await b.driver.command(text, { userId: USERS.ada, channelId: 'CROLLOUT' });
  expect(res.status).toBe(200);
  const acked = res.json as { text?: string } | null;
  if (acked?.text) return acked.text;
  const [reply] = await b.slack.waitForResponses(1, res.responseId);
  return String(reply!.body.text);
}

const stagingFlag = () => b.heroku.app('autorisen').configVars.FEATURE_AUTORISEN;
const releases = () => b.heroku.app('autorisen').releases.length;
async function lastAudit(text: string) {
  const rows = await b.app.store.audit.latest({ limit: 20, actorId: USERS.ada });
  const row = rows.find((r) => r.args === text);
  if (!row) throw new Error(`no audit row for ${text}`);
  return row;
}

describe('the dry run cannot be skipped by accident (signed HTTP, fake Heroku)', () => {
  it.each([
    ['flag on staging --reason "unbalanced --dry-run', /Unbalanced quote: the " at character 26/],
    ["flag on staging --reason 'single --dry-run", /Unbalanced quote: the ' at character 26/],
    ['flag on staging --reason \u201Csmart --dry-run', /Unbalanced quote: the \u201C at character 26/],
    ['flag on staging --reason "checking --dry-run"', /`--dry-run` appears inside the quoted text/],
    ['flag on staging --dryrun', /has no option `--dryrun`\. Did you mean `--dry-run`\?/],
    ['flag on staging -dry-run', /two dashes: `-dry-run` should be `--dry-run`/],
    ['flag on staging --namespace /api/', /`flag on` has no option `--namespace`/],
    ['flag on staging --user <@UBEN0002|ben>', /`flag on` has no option `--user`/],
    ['flag on staging production', /Unexpected "production"/],
    ['flag on staging --reason', /`--reason` needs a value/],
    ['flag on staging --force --force', /`--force` is given twice/],
  ])('%s: staging unchanged, a specific error, an audit row that says why', async (text, error) => {
    const before = releases();
    expect(await say(text)).toMatch(error);
    expect(stagingFlag()).toBe('false');
    expect(releases()).toBe(before);
    const row = await lastAudit(text);
    expect(row).toMatchObject({ result: 'usage', detail: expect.stringMatching(error) });
  });

  it.each([
    'flag on staging --DRY-RUN',
    'flag on staging --Dry-Run --reason "try it"',
    'flag on staging \u2014dry-run',
  ])('%s is a dry run: the plan, staging unchanged, audited as a dry run', async (text) => {
    const before = releases();
    expect(await say(text)).toMatch(/dry run|Dry run|nothing (was )?changed/i);
    expect(stagingFlag()).toBe('false');
    expect(releases()).toBe(before);
    // The plan rides in the ack, before its audit row is stored (as a query's answer does).
    expect(await vi.waitFor(() => lastAudit(text))).toMatchObject({ action: 'dry_run', result: 'ok' });
  });

  it('the same command typed cleanly does change staging (the tests above can fail)', async () => {
    expect(await say('flag on staging --reason "clean run"')).toMatch(/turned the rollout flag \*on\* in staging/);
    expect(stagingFlag()).toBe('true');
  });
});
