import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import {
  bootDeployWorld,
  CHANNEL,
  type DeployWorld,
  finished,
  messages,
  recordProductionFlag,
  requestAndApprove,
  textOf,
  until,
} from './deploy-harness.ts';

/**
 * Issue 23 §6 over HTTP: a rollback whose target release has another FEATURE_AUTORISEN says so in
 * bold, needs --accept-flag-change in production unless a second person approves that plan, and
 * announces the flag's new state. Signed slash commands and clicks, fake Heroku, GitHub and Slack.
 */
describe('rollbacks that flip the rollout flag', () => {
  let w: DeployWorld | undefined;
  afterEach(async () => {
    await w?.stop();
    w = undefined;
  });

  const reply = async (text: string) => {
    const res = await w!.b.driver.command(text, { userId: USERS.ana, channelId: CHANNEL });
    return JSON.stringify(await w!.b.slack.answerTo(res));
  };
  const announced = (channel: string) =>
    until(
      () => messages(w!.b).find((m) => m.channel === channel && /FEATURE_AUTORISEN/.test(m.text ?? '')),
      `the rollback's notice in ${channel}`,
    );

  it('a flip it cannot rule out is in bold in the approval; approved, it runs and announces the new flag state', async () => {
    w = await bootDeployWorld();
    const { b } = w;
    b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' }); // v3, set outside the bot
    const dry = await reply('rollback production v2 --dry-run');
    // Nothing recorded v2's value and v3 set the flag since: unknown, so it may flip.
    expect(dry).toContain(':warning: *:triangular_flag_on_post: THIS ROLLBACK MAY FLIP THE ROLLOUT FLAG');
    expect(dry).toContain('v3 (\\"Set FEATURE_AUTORISEN config vars\\") may have changed it since');
    expect(dry).toContain('Flag change: approving this rollback accepts it');

    const approval = await requestAndApprove(b, 'rollback production v2', USERS.cy, USERS.ana);
    expect(textOf(approval)).toContain('THIS ROLLBACK MAY FLIP THE ROLLOUT FLAG');
    expect((await finished(b, 'production')).state).toBe('succeeded');
    expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');
    const notice = await announced('CDEPLOYPRD');
    expect(notice.text).toContain('*FEATURE_AUTORISEN is now "false" (off)*; it was "true" (on) before the rollback');
  });

  describe('production without a second person (requires_approval: false)', () => {
    const boot = () =>
      bootDeployWorld({
        configYaml: (y) => y.replace('production: true', 'production: true\n    requires_approval: false'),
      });

    it('refuses a known flip without --accept-flag-change, and runs it with the option', async () => {
      w = await boot();
      const { b } = w;
      b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' }); // v3
      await recordProductionFlag(b, 2, 'false', { source: 'flag', actor: USERS.ben });
      const dry = await reply('rollback production v2 --dry-run');
      expect(dry).toContain(
        ':warning: *:triangular_flag_on_post: THIS ROLLBACK FLIPS THE ROLLOUT FLAG: it restores v2\'s config vars, so FEATURE_AUTORISEN changes from \\"true\\" (on) to \\"false\\" (off) in production.*',
      );
      expect(dry).toContain("recorded in the bot's flag history (flag)");
      expect(dry).toContain('Flag change: in production it needs --accept-flag-change');

      const refused = await reply('rollback production v2');
      expect(refused).toContain('changes FEATURE_AUTORISEN');
      expect(refused).toContain('nothing was run');
      expect(refused).toContain('`/autorisen rollback production v2 --accept-flag-change`');
      expect(b.heroku.requestsTo('POST', '/apps/capecraft/releases')).toHaveLength(0);
      expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('true');

      await reply('rollback production v2 --accept-flag-change');
      expect((await finished(b, 'production')).state).toBe('succeeded');
      expect(b.heroku.app('capecraft').configVars.FEATURE_AUTORISEN).toBe('false');
      const notice = await announced('CDEPLOYPRD');
      expect(notice.text).toContain('*FEATURE_AUTORISEN is now "false" (off)*; it was "true" (on) before the rollback');
    });

    it('derives "no flip" from the release list and runs without the option; a misspelt option is refused', async () => {
      w = await boot();
      const { b } = w;
      b.heroku.changeConfigVars('capecraft', { FEATURE_AUTORISEN: 'true' }); // v3
      b.heroku.changeConfigVars('capecraft', { LOG_LEVEL: 'debug' }); // v4: another var
      // The strict parser answers in the acknowledgement itself: nothing is planned.
      const typo = await b.driver.command('rollback production v3 --accept-flag-changes', {
        userId: USERS.ana,
        channelId: CHANNEL,
      });
      expect(typo.body).toContain('--accept-flag-change');
      const dry = await reply('rollback production v3 --dry-run');
      expect(dry).toContain(
        'FEATURE_AUTORISEN after the rollback: \\"true\\" (on), no release since v3 changed it (Heroku\'s release list)',
      );
      expect(dry).not.toContain('FLIP');
      await reply('rollback production v3');
      expect((await finished(b, 'production')).state).toBe('succeeded');
      const notice = await announced('CDEPLOYPRD');
      expect(notice.text).toContain('FEATURE_AUTORISEN is "true" (on) (unchanged).');
    });
  });
});
