import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { messages, textOf, until } from './deploy-harness.ts';
import { approveGate, bootReleaseWorld, CHANNEL, currentStep, offer, type ReleaseWorld } from './release-harness.ts';

/**
 * Issue 11: a failure at each step that changes something shows what failed and the right offer:
 * nothing to roll back before production changed, Roll back and Flag off once it has. (The gates,
 * the staging probes, the promotion and the production bake are in release-failures.test.ts.)
 */

describe('a release failing at each step', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });
  const start = () => w.b.driver.command('release', { userId: USERS.ana, channelId: CHANNEL });

  it('the staging build fails: its output in the thread, Retry or Abandon, production untouched', async () => {
    w = await bootReleaseWorld();
    w.heroku.buildBehaviour = {
      outcome: 'failed',
      afterPolls: 1,
      lines: ['ERROR: No matching distribution found for widgets==9.9'],
    };
    await start();
    const o = await offer(w);
    expect(o.run.stepIndex).toBe(3);
    expect(o.text).toMatch(
      /Deploy to staging \(Heroku build\) failed: the Heroku build .* on staging failed; nothing was released/,
    );
    expect(o.actions).toEqual([`autorisen:wf-retry:${o.run.id}`, `autorisen:wf-abandon:${o.run.id}`]);
    const thread = messages(w.b)
      .filter((m) => m.threadTs === o.run.statusTs)
      .map(textOf)
      .join('\n');
    expect(thread).toContain('widgets==9.9');
    expect(w.heroku.requestsTo('POST', '/pipeline-promotions')).toHaveLength(0);
    // Stopped, not holding anything: staging and production are free again.
    expect(await w.b.app.store.locks.get('staging', Date.now())).toBeNull();
    expect(await w.b.app.store.locks.get('production', Date.now())).toBeNull();
  });

  it("production's backup fails: nothing promoted, Retry or Abandon", async () => {
    w = await bootReleaseWorld();
    w.heroku.backupBehaviour = { succeeded: false, afterPolls: 1, logs: ['pg_dump: error: connection to server lost'] };
    await start();
    await until(async () => (await currentStep(w)) === 6, 'the production gate');
    await approveGate(w.b);
    const o = await offer(w);
    expect(o.run.stepIndex).toBe(7);
    expect(o.text).toMatch(/backup b\d+ failed \(pg_dump: error: connection to server lost\); nothing after it ran/);
    expect(o.actions).toEqual([`autorisen:wf-retry:${o.run.id}`, `autorisen:wf-abandon:${o.run.id}`]);
    expect(w.heroku.requestsTo('POST', '/pipeline-promotions')).toHaveLength(0);
  });

  it('production fails its verification after the promotion: Roll back production, Flag off, Retry', async () => {
    w = await bootReleaseWorld();
    await start();
    await until(async () => (await currentStep(w)) === 6, 'the production gate');
    w.capecraft.health = 503;
    await approveGate(w.b);
    const o = await offer(w);
    expect(o.run.stepIndex).toBe(9);
    expect(o.text).toMatch(/Verify production \(health and contract probes\) failed: .* did not answer 2xx/);
    expect(o.actions).toEqual([
      'autorisen:run:rollback production',
      expect.stringMatching(/^autorisen:run:flag off production --reason/),
      `autorisen:wf-retry:${o.run.id}`,
    ]);
    expect(w.heroku.requestsTo('POST', '/pipeline-promotions')).toHaveLength(1);
  });
});
