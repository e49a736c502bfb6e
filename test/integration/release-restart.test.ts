import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { messages, textOf, until } from './deploy-harness.ts';
import {
  approveGate,
  bootReleaseWorld,
  CHANNEL,
  currentStep,
  holdWhileAsked,
  releaseIn,
  type ReleaseWorld,
} from './release-harness.ts';

/**
 * Issue 11: the bot restarts while the release is at each step that waits on something (a Heroku
 * build, the backup, the promotion, each bake). The release resumes where it was and finishes, and
 * no vendor write happens twice: one build, one backup, one promotion, each step done once.
 * Steps (no tasks configured): 3 build on staging, 5 staging bake, 7 backup, 8 promotion, 10 production bake;
 * a release restarted before the gate is restarted again while it waits there.
 */
const STEPS = [
  { index: 3, name: 'the staging build' },
  { index: 5, name: 'the staging bake' },
  { index: 7, name: 'the production backup' },
  { index: 8, name: 'the promotion' },
  { index: 10, name: 'the production bake' },
];

describe('a release restarted at each step', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it.each(STEPS)('resumes in $name (step $index) and runs nothing twice', async ({ index }) => {
    w = await bootReleaseWorld();
    // The backup and the promotion take a couple of polls, as on Heroku, so the bot waits in them.
    w.heroku.backupBehaviour = { ...w.heroku.backupBehaviour, afterPolls: 3 };
    w.heroku.pipelines.pendingPolls = 2;
    let restarted = false;
    let reached!: () => void;
    const atStep = new Promise<void>((r) => {
      reached = r;
    });
    let go!: () => void;
    const held = new Promise<void>((r) => {
      go = r;
    });
    // Every poll and wait sleeps on the test clock: hold the first sleep taken in the chosen step.
    w.clock.hook = async () => {
      if (!restarted && (await currentStep(w)) === index) {
        restarted = true;
        reached();
        await held;
        return;
      }
      await holdWhileAsked(w);
    };
    await w.b.driver.command('release', { userId: USERS.ana, channelId: CHANNEL });
    if (index > 6) {
      await until(async () => (await currentStep(w)) === 6, 'the production gate');
      await approveGate(w.b);
    }
    await atStep;
    const p = w.restart();
    go();
    await p;
    if (index < 6) {
      await until(async () => (await currentStep(w)) === 6, 'the production gate after the restart');
      // And once more while it waits at the gate: the approval asked for before still continues it.
      await w.restart();
      await approveGate(w.b);
    }
    const run = await releaseIn(() => w.b, ['done', 'failed', 'faulty']);
    expect(run.state).toBe('done');
    expect(w.heroku.requestsTo('POST', '/apps/autorisen/builds')).toHaveLength(1);
    expect(w.heroku.requestsTo('POST', '/pipeline-promotions')).toHaveLength(1);
    expect(w.heroku.requests.filter((r) => r.surface === 'data' && r.method === 'POST')).toHaveLength(1);
    const done = (await w.b.app.store.audit.latest({ limit: 500 }))
      .filter((a) => a.args === `release ${run.id}` && / done$/.test(a.detail ?? ''))
      .map((a) => a.detail);
    expect(new Set(done).size).toBe(done.length);
    expect(done).toHaveLength(11);
    const thread = messages(w.b)
      .filter((m) => m.threadTs === run.statusTs)
      .map(textOf)
      .join('\n');
    expect(thread).toContain(`restarted; picking this release up again at step ${index + 1}`);
    if (index < 6) expect(thread).toContain('restarted; picking this release up again at step 7');
  });
});
