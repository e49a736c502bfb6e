import { afterEach, describe, expect, it } from 'vitest';
import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { USERS } from '../drivers/boot-app.ts';
import { messages, textOf, until } from './deploy-harness.ts';
import { approveGate, bootReleaseWorld, CHANNEL, gateMessage, type ReleaseWorld } from './release-harness.ts';

/** The latest promote run, once `ok` holds for it. */
function promoteRun(w: ReleaseWorld, ok: (r: WorkflowRun) => boolean, what: string): Promise<WorkflowRun> {
  return until(async () => {
    const [run] = await w.b.app.store.workflows.latest({ workflow: 'promote', env: null, limit: 1 });
    return run && ok(run) ? run : null;
  }, what);
}

/** Time stands still while the gate's approval is pending, as a person takes a while to click. */
async function holdWhileAsked(w: ReleaseWorld): Promise<void> {
  await until(
    async () => {
      if (w.clock.stopping) return true;
      const [run] = await w.b.app.store.workflows.latest({ workflow: 'promote', env: null, limit: 1 });
      const id = run?.state === 'waiting' ? run.scratch.approvalId : undefined;
      return typeof id !== 'string' || (await w.b.app.store.approvals.get(id))?.state !== 'pending';
    },
    'the gate approval to be decided',
    20_000,
  );
}

/**
 * `/autorisen promote`: the production half of a release for what staging runs now, on the same
 * steps (gate, backup, pipeline promotion of the exact slug, verify, bake) and resumable like it.
 */
describe('/autorisen promote', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it('shows the pinned release and the steps on --dry-run, and changes nothing', async () => {
    w = await bootReleaseWorld();
    const res = await w.b.driver.command('promote --dry-run', { userId: USERS.ana, channelId: CHANNEL });
    const reply = await w.b.slack.answerTo(res);
    const text = JSON.stringify(reply);
    expect(text).toContain('Promote staging v2 to production');
    expect(text).toMatch(/:white_check_mark: Pin the release staging runs \(v2\)/);
    expect(text).toContain(`commit \`${w.shas.base.slice(0, 7)}\``);
    expect(text).toContain('a Heroku pipeline promotion of the exact slug staging runs');
    expect(w.heroku.requests.filter((r) => r.method !== 'GET')).toHaveLength(0);
  });

  it("promotes staging's slug after a second operator approves, across a restart at the gate", async () => {
    w = await bootReleaseWorld();
    w.clock.hook = () => holdWhileAsked(w);
    const stagingSlug = w.heroku.current('autorisen')!.slugId;
    await w.b.driver.command('promote', { userId: USERS.ana, channelId: CHANNEL });
    const gate = await gateMessage(w.b);
    expect(textOf(gate)).toMatch(/staging runs v2 \(slug /);
    expect(textOf(gate)).toMatch(/backup of production, promotion of that slug/);
    await promoteRun(w, (r) => r.state === 'waiting', 'the run waiting at the gate');

    await w.restart();
    await approveGate(w.b, USERS.ben);
    const run = await promoteRun(w, (r) => ['done', 'failed', 'faulty'].includes(r.state), 'the run to end');
    expect(run, `${run.error} at ${run.stepIndex}`).toMatchObject({ state: 'done', lockToken: null });

    expect(w.heroku.current('capecraft')!.slugId).toBe(stagingSlug);
    expect(w.heroku.requestsTo('POST', '/pipeline-promotions')).toHaveLength(1);
    expect(w.heroku.requestsTo('POST', /builds$/)).toHaveLength(0);
    const backupAt = w.heroku.requests.findIndex((r) => r.surface === 'data' && r.method === 'POST');
    const promoteAt = w.heroku.requests.findIndex((r) => r.path === '/pipeline-promotions');
    expect(backupAt).toBeGreaterThanOrEqual(0);
    expect(promoteAt).toBeGreaterThan(backupAt);
    // The verify step labels its probe run with the workflow's own name.
    expect((await w.b.app.store.probeRuns.latest('production'))?.trigger).toBe('promote');
    expect(run.data.promote).toMatchObject({ env: 'production', sha: w.shas.base });
    await until(
      () =>
        messages(w.b).some((m) => m.threadTs === run.statusTs && /production stayed quiet for 30 min/.test(textOf(m))),
      'the bake line in the thread',
    );
    expect(await w.b.app.store.locks.get('staging', w.clock.now())).toBeNull();
    expect(await w.b.app.store.locks.get('production', w.clock.now())).toBeNull();
  });
});
