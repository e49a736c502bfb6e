import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { until } from './deploy-harness.ts';
import {
  approveGate,
  bootReleaseWorld,
  CHANNEL,
  currentStep,
  releaseIn,
  type ReleaseWorld,
} from './release-harness.ts';

/**
 * Step outputs are typed and read by reference now, but they are persisted as before: under each
 * step's name in the run's `data`. A release left waiting at the production gate by an older
 * version (its staging build's data without the commit, which steps now hand on) still resumes
 * after an upgrade and finishes: the gate's plan reads staging's build, and the promotion, with no
 * shared pipeline, builds the run's own commit on production.
 */
describe('a run persisted by the previous version', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it('resumes at the production gate and finishes, reading the older step data by name', async () => {
    w = await bootReleaseWorld({ pipeline: false });
    await w.b.driver.command('release', { userId: USERS.ana, channelId: CHANNEL });
    await until(async () => (await currentStep(w)) === 6, 'the production gate');
    const run = await releaseIn(() => w.b, ['waiting']);
    const built = run.data['build-staging'];
    expect(built).toMatchObject({ env: 'staging', sha: w.shas.head });
    // What the previous version wrote: the same keys, and no `sha` in the build's data.
    const { sha: _dropped, ...older } = built as Record<string, unknown>;
    const moved = await w.b.app.store.workflows.advance(run.id, run.version, {
      data: { ...run.data, 'build-staging': older },
      updatedAt: w.clock.now(),
    });
    expect(moved).toBe(true);

    await w.restart();
    await approveGate(w.b);
    const finished = await releaseIn(() => w.b, ['done', 'failed', 'faulty']);
    expect(finished.error).toBeNull();
    expect(finished.state).toBe('done');
    const [build] = w.heroku.requestsTo('POST', '/apps/capecraft/builds');
    expect((build!.body as { source_blob: { version: string } }).source_blob.version).toBe(w.shas.head);
    expect(finished.data.promote).toMatchObject({ env: 'production', mode: 'build', sha: w.shas.head });
  });
});
