import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import {
  bootDeployWorld,
  buttonsOf,
  CHANNEL,
  finished,
  latestChange,
  messages,
  requestAndApprove,
  textOf,
  until,
  type DeployWorld,
} from './deploy-harness.ts';

/** deploy_channel of each environment in the harness config (test/drivers/boot-app.ts). */
const DEPLOY_CHANNEL = { staging: 'CDEPLOYSTG', production: 'CDEPLOYPRD' } as const;

/**
 * The deploy channel shows every change the bot makes: work asked for in another channel is
 * announced there in one line when it starts and one line when it ends (what, who, which version).
 */
describe('deploy announcements in the deploy channel', () => {
  let w: DeployWorld;
  beforeEach(async () => {
    w = await bootDeployWorld();
  });
  afterEach(async () => {
    await w.stop();
  });

  const inChannel = (channel: string) => messages(w.b).filter((m) => m.channel === channel);

  it('announces an approved production deploy asked for elsewhere: start and outcome, one line each', async () => {
    const { b, shas } = w;
    await requestAndApprove(b, 'deploy production');
    const d = await finished(b, 'production');
    expect(d.state).toBe('succeeded');
    const posted = inChannel(DEPLOY_CHANNEL.production);
    expect(posted.map((m) => m.text)).toEqual([
      `:rocket: <@${USERS.ana}> (approved by <@${USERS.ben}>) started the deploy of ${shas.head.slice(0, 7)} (main) to production (capecraft); v2 runs now.`,
      `:white_check_mark: production (capecraft) runs v3: deploy of ${shas.head.slice(0, 7)} by <@${USERS.ana}> (approved by <@${USERS.ben}>) finished.`,
    ]);
    // One line each, top level, no buttons, nothing a reader would click through.
    for (const m of posted) {
      expect(m.threadTs).toBeNull();
      expect(buttonsOf(m)).toEqual([]);
      expect(textOf(m)).not.toMatch(/https?:\/\//);
    }
    // Staging's deploy channel heard nothing about production.
    expect(inChannel(DEPLOY_CHANNEL.staging)).toEqual([]);
  });

  it('says what failed and what still runs, and that a rollback leaves the environment locked', async () => {
    const { b, shas } = w;
    b.heroku.buildBehaviour = { outcome: 'failed', afterPolls: 1, lines: ['-----> Build failed'] };
    await b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    await finished(b, 'staging');
    await until(() => inChannel(DEPLOY_CHANNEL.staging).length === 2, 'start and outcome notices');
    expect(inChannel(DEPLOY_CHANNEL.staging)[1]!.text).toBe(
      `:x: The deploy of ${shas.head.slice(0, 7)} on staging (autorisen) by <@${USERS.ana}> stopped at "Deploy to staging (Heroku build)"; v2 still runs.`,
    );

    await b.driver.command('rollback staging v1', { userId: USERS.cy, channelId: CHANNEL });
    const rb = await until(async () => {
      const d = await latestChange(b, 'staging');
      return d?.kind === 'rollback' && d.state === 'succeeded' ? d : null;
    }, 'the rollback');
    await finished(b, 'staging');
    const lines = inChannel(DEPLOY_CHANNEL.staging).map((m) => m.text);
    expect(lines.slice(2)).toEqual([
      `:rewind: <@${USERS.cy}> started the rollback of staging (autorisen) from v2 to v1.`,
      `:white_check_mark: staging (autorisen) runs v${rb.releaseVersion}: rollback to v1 by <@${USERS.cy}> finished. staging stays locked until someone unlocks it. FEATURE_AUTORISEN is "false" (off) (unchanged).`,
    ]);
  });

  it('posts nothing extra when the work is asked for in the deploy channel itself', async () => {
    const { b } = w;
    await b.driver.command('deploy staging', { userId: USERS.ana, channelId: DEPLOY_CHANNEL.staging });
    const d = await finished(b, 'staging');
    expect(d.statusChannel).toBe(DEPLOY_CHANNEL.staging);
    // The status message (rewritten with the outcome) is the only top-level message; the rest is its thread.
    const top = inChannel(DEPLOY_CHANNEL.staging).filter((m) => m.threadTs === null);
    expect(top.map((m) => m.ts)).toEqual([d.statusTs]);
    expect(textOf(top[0])).toContain('runs v3');
  });

  it('announces the outcome once when a restarted bot finishes the work', async () => {
    w.b.heroku.buildBehaviour = { ...w.b.heroku.buildBehaviour, outcome: 'manual' };
    await w.b.driver.command('deploy staging', { userId: USERS.ana, channelId: CHANNEL });
    const running = await until(async () => {
      const d = await latestChange(w.b, 'staging');
      return d?.buildId ? d : null;
    }, 'the build id to be saved');
    w.b = await w.b.restart();
    await until(
      () => messages(w.b).some((m) => m.threadTs === running.statusTs && textOf(m).includes('restarted')),
      'the restart notice',
    );
    w.b.heroku.completeBuild(running.buildId!, 'succeeded');
    await finished(w.b, 'staging');
    const lines = inChannel(DEPLOY_CHANNEL.staging).map((m) => m.text ?? '');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('started the deploy');
    expect(lines[1]).toContain('staging (autorisen) runs v3');
  });
});
