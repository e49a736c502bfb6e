import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';
import { USERS } from '../drivers/boot-app.ts';
import { buttonsOf, textOf, until } from './deploy-harness.ts';
import { CHANNEL, REPO } from './release-harness.ts';
import { bootThreeInstances, type ThreeWorld } from '../support/three-instances.ts';

/**
 * Issue 19 §7: three bot processes on one PostgreSQL schema behind a round-robin router, as
 * `heroku ps:scale web=3` runs them. A release goes from ref to done with one build, one backup,
 * one promotion and one thread; then `kill -9` of the instance driving the next release mid-build
 * leaves the run to a live instance, which takes it over once the dead one's lease expires. Before
 * the fix nothing but a restart ever resumed a run, so the survivors left it stuck at the build.
 * One world for both (booting three processes is the slow part); the kill comes last.
 */
describe('three instances on one PostgreSQL: releases', () => {
  let w: ThreeWorld;
  beforeAll(async () => {
    w = await bootThreeInstances();
  }, 120_000);
  afterAll(async () => {
    await w?.stop();
  });

  const latest = async (): Promise<WorkflowRun | null> =>
    (await w.store.workflows.latest({ workflow: 'release', env: null, limit: 1 }))[0] ?? null;
  const inState = (states: WorkflowRun['state'][], what: string, timeoutMs = 30_000) =>
    until(async () => ((r) => (r && states.includes(r.state) ? r : null))(await latest()), what, timeoutMs);
  const roots = () => [...w.slack.messages.values()].filter((m) => m.channel === CHANNEL && !m.threadTs);
  const counts = () => ({
    builds: w.heroku.requestsTo('POST', '/apps/autorisen/builds').length,
    promotions: w.heroku.requestsTo('POST', '/pipeline-promotions').length,
    backups: w.heroku.requests.filter((r) => r.surface === 'data' && r.method === 'POST').length,
    roots: roots().length,
  });

  /** Click Approve on the release's gate (through the router: whichever instance is next). */
  async function approveGate(run: WorkflowRun): Promise<string> {
    const id = run.scratch.approvalId as string;
    const gate = await until(
      () => roots().find((m) => buttonsOf(m).some((b) => b.action_id === 'autorisen:approve' && b.value === id)),
      'the gate approval message',
    );
    const r = await w.driver.click({
      actionId: 'autorisen:approve',
      value: id,
      userId: USERS.ben,
      channelId: CHANNEL,
      messageTs: gate.ts,
    });
    expect(r.status).toBe(200);
    return gate.ts;
  }

  /** Release `sha` to done; `meanwhile` runs once the run is at the staging build. */
  async function release(sha: string, meanwhile?: (driver: number) => Promise<void>) {
    const before = counts();
    const r = await w.driver.command(`release ${sha}`, { userId: USERS.ana, channelId: CHANNEL });
    expect(r.status).toBe(200);
    // The instance the command reached started the run, so it drives it.
    const driver = w.router.answeredBy.at(-1)!;
    if (meanwhile) await meanwhile(driver);
    const gated = await until(
      async () => ((x) => (x?.state === 'waiting' && x.waitingFor === 'approved' ? x : null))(await latest()),
      'the release at its gate',
      30_000,
    );
    const gateTs = await approveGate(gated);
    const run = await inState(['done', 'failed', 'faulty'], 'the release to end', 60_000);
    expect(run.state).toBe('done');
    await until(
      () => /: done/.test(textOf(w.slack.messages.get(`${CHANNEL}/${run.statusTs}`))),
      'the root to say done',
    );
    const after = counts();
    expect({
      builds: after.builds - before.builds,
      promotions: after.promotions - before.promotions,
      backups: after.backups - before.backups,
      roots: after.roots - before.roots,
    }).toEqual({ builds: 1, promotions: 1, backups: 1, roots: 2 });
    // Two messages in the channel: the release's root and its gate's approval; all progress is in the thread.
    expect(
      roots()
        .slice(-2)
        .map((m) => m.ts)
        .sort(),
    ).toEqual([run.statusTs, gateTs].sort());
    const thread = [...w.slack.messages.values()].filter((m) => m.threadTs === run.statusTs).map(textOf);
    return { run, thread: thread.join('\n') };
  }

  it('takes a release from ref to done: one build, one backup, one promotion, one thread', async () => {
    const { thread } = await release(w.shas.head);
    expect(thread).toContain('Approved by');
    // The approval reached another instance than the one driving the release, which carried on.
    expect(new Set(w.router.answeredBy).size).toBe(2);
  }, 120_000);

  it('kill -9 of the instance running the build: a live instance takes the release over and finishes it', async () => {
    const next = w.github.commit(REPO, {
      message: 'Widgets list',
      author: { login: 'alice', name: 'Alice' },
      files: { 'README.md': 'widgets\n' },
    });
    w.github.setChecks(
      REPO,
      next,
      [{ name: 'test', status: 'completed', conclusion: 'success' }],
      [{ context: 'ci/lint', state: 'success' }],
    );
    w.heroku.buildBehaviour = { ...w.heroku.buildBehaviour, outcome: 'manual' };
    let killed = -1;
    const { thread } = await release(next, async (driver) => {
      const build = await until(
        () => w.heroku.app('autorisen').builds.find((b) => b.sourceVersion === next),
        'the build to start',
      );
      const polls = () => w.heroku.requestsTo('GET', `/apps/autorisen/builds/${build.id}`).length;
      await until(() => polls() >= 2, 'the build being polled');
      expect((await latest())?.stepIndex).toBe(3);
      await w.kill(driver);
      killed = driver;
      w.heroku.completeBuild(build.id, 'succeeded');
    });
    expect(thread).toContain('stopped; another instance picks it up again at step 4');
    const tookOver = w.instances
      .filter((i) => i.index !== killed)
      .flatMap((i) => w.logs(i.index))
      .filter((l) => l.msg === 'took over a workflow run whose instance stopped');
    expect(tookOver).toHaveLength(1);
  }, 120_000);
});
