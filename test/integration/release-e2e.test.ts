import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { messages, textOf, until } from './deploy-harness.ts';
import {
  approveGate,
  bootReleaseWorld,
  CHANNEL,
  gateMessage,
  releaseIn,
  REPO,
  type ReleaseWorld,
} from './release-harness.ts';

/** Issue 11: `/autorisen release` from ref to "done" over HTTP against the fakes. */
describe('release end to end', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it('shows every step and gate with its current answer on --dry-run, and changes nothing', async () => {
    w = await bootReleaseWorld();
    const res = await w.b.driver.command('release --dry-run', { userId: USERS.ana, channelId: CHANNEL });
    const reply = await w.b.slack.answerTo(res);
    const text = JSON.stringify(reply);
    expect(text).toContain(w.shas.head.slice(0, 7));
    expect(text).toMatch(/1\. :white_check_mark: GitHub checks and statuses are green/);
    expect(text).toMatch(/2\. :white_check_mark: Database migrations are additive/);
    expect(text).toMatch(/3\. :white_check_mark: OpenAPI/);
    expect(text).toContain('pipeline promotion of the exact slug staging runs');
    expect(text).toMatch(/11\. Bake production: 30 min/);
    expect(w.heroku.requestsTo('POST', /builds$/)).toHaveLength(0);
    expect(await w.b.app.store.workflows.latest({ workflow: null, env: null, limit: 1 })).toEqual([]);
  });

  it('carries a commit from staging to production: gates, build, probes, bake, approval, backup, promotion of the same slug, bake, done', async () => {
    w = await bootReleaseWorld();
    await w.b.driver.command('release', { userId: USERS.ana, channelId: CHANNEL });
    const gate = await gateMessage(w.b);
    // The approver sees everything above: gates, staging's release and probes, the bake.
    expect(textOf(gate)).toMatch(/CI green/);
    expect(textOf(gate)).toMatch(/all additive/);
    expect(textOf(gate)).toMatch(/staging runs v3/);
    expect(textOf(gate)).toMatch(/stayed quiet for 10 min/);
    // The requester cannot approve their own release.
    await approveGate(w.b, USERS.ana);
    expect((await releaseIn(() => w.b, ['waiting'])).waitingFor).toBe('approved');
    await approveGate(w.b, USERS.ben);
    const run = await releaseIn(() => w.b, ['done', 'failed', 'faulty']);
    expect(run, `${run.error} at ${run.stepIndex}`).toMatchObject({ state: 'done', lockToken: null });

    // Staging built the commit; production got the exact slug by a pipeline promotion, after the backup.
    const [build] = w.heroku.requestsTo('POST', '/apps/autorisen/builds');
    expect((build!.body as { source_blob: { version: string } }).source_blob.version).toBe(w.shas.head);
    expect(w.heroku.requestsTo('POST', '/apps/capecraft/builds')).toHaveLength(0);
    const stagingSlug = w.heroku.current('autorisen')!.slugId;
    expect(w.heroku.current('capecraft')!.slugId).toBe(stagingSlug);
    const [promotion] = w.heroku.requestsTo('POST', '/pipeline-promotions');
    expect(promotion!.body).toMatchObject({
      source: { release: { id: w.heroku.current('autorisen')!.id } },
      pipeline: { id: 'pipe-1' },
    });
    const backupAt = w.heroku.requests.findIndex((r) => r.surface === 'data' && r.method === 'POST');
    const promoteAt = w.heroku.requests.findIndex((r) => r.path === '/pipeline-promotions');
    expect(backupAt).toBeGreaterThanOrEqual(0);
    expect(promoteAt).toBeGreaterThan(backupAt);
    // Probes ran with the flag off (404 on the namespaced health) and with the probe token.
    expect(w.capecraft.hits).toContain('/api/autorisen/health');
    expect(w.capecraft.hits).toContain('/api/autorisen/me (token)');
    // One root message, rewritten to "done"; the thread tells the story.
    // The final state is persisted first; the root message and the thread's last line follow.
    await until(
      () => messages(w.b).some((m) => m.threadTs === run.statusTs && /Finished:/.test(textOf(m))),
      'the last thread line',
    );
    const root = messages(w.b).find((m) => m.ts === run.statusTs)!;
    expect(textOf(root)).toContain(': done.');
    const thread = messages(w.b)
      .filter((m) => m.threadTs === run.statusTs)
      .map(textOf)
      .join('\n');
    expect(thread).toMatch(/Approved by <@UBEN/);
    expect(thread).toMatch(/production stayed quiet for 30 min/);
    expect(await w.b.app.store.locks.get('production', w.clock.now())).toBeNull();
    expect(await w.b.app.store.locks.get('staging', w.clock.now())).toBeNull();
    expect(w.github.deployments(REPO)).toHaveLength(0);
  });
});
