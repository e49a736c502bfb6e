import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { headersFor, send } from './alert-harness.ts';
import { buttonsOf, messages, textOf, until } from './deploy-harness.ts';
import {
  ADDITIVE,
  approveGate,
  bootReleaseWorld,
  CHANNEL,
  currentStep,
  DESTRUCTIVE,
  holdWhileAsked,
  offer,
  LIVE_SPEC,
  releaseIn,
  spec,
  type ReleaseWorld,
} from './release-harness.ts';

const start = (w: ReleaseWorld, text = 'release') =>
  w.b.driver.command(text, { userId: USERS.ana, channelId: CHANNEL });

/** Issue 11: every blocking gate, a failure with the right offer, a restart, a faulty production bake. */
describe('release gates and failures', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it('blocks on red CI before touching Heroku', async () => {
    w = await bootReleaseWorld({ green: false });
    w.github.setChecks('capecraft/capecraft', w.shas.head, [
      { name: 'test', status: 'completed', conclusion: 'failure' },
    ]);
    await start(w);
    const o = await offer(w);
    expect(o.run).toMatchObject({ state: 'failed', stepIndex: 0, lockToken: null });
    expect(o.text).toContain('CI is not green');
    expect(o.text).toContain('test: failure');
    expect(o.actions).toEqual([`autorisen:wf-retry:${o.run.id}`, `autorisen:wf-abandon:${o.run.id}`]);
    expect(w.heroku.requestsTo('POST', /builds$/)).toHaveLength(0);
  });

  it('blocks a destructive migration unless --allow-destructive, which then needs an admin at the gate', async () => {
    w = await bootReleaseWorld({
      headFiles: { 'openapi.json': JSON.stringify(LIVE_SPEC), 'migrations/versions/0003_drop_legacy.py': DESTRUCTIVE },
    });
    await start(w);
    const o = await offer(w);
    expect(o.run.stepIndex).toBe(1);
    expect(o.text).toMatch(/destructive migration\(s\): 0003_drop_legacy\.py drops a column/);
    expect(o.actions).toEqual([`autorisen:wf-abandon:${o.run.id}`]);

    await start(w, 'release --allow-destructive');
    await until(async () => (await currentStep(w)) === 6, 'the gate');
    const gate = await until(
      () => messages(w.b).find((m) => buttonsOf(m).some((b) => b.action_id === 'autorisen:approve')),
      'gate',
    );
    expect(textOf(gate)).toContain('DESTRUCTIVE');
    expect(textOf(gate)).toContain('needs an admin');
  });

  it('blocks a breaking change outside /api/autorisen/, and shows breaking changes inside it to the approver', async () => {
    const broken = spec({ '/api/items': { id: { type: 'string' } } });
    w = await bootReleaseWorld({ headFiles: { 'openapi.json': JSON.stringify(broken), 'x.py': ADDITIVE } });
    await start(w);
    const o = await offer(w);
    expect(o.run.stepIndex).toBe(2);
    expect(o.text).toMatch(/breaking change\(s\) outside \/api\/autorisen\/: GET \/api\/items/);
  });

  it('a failed staging probe stops the release with Roll back, Retry and Abandon; Retry after the fix goes on', async () => {
    w = await bootReleaseWorld();
    w.capecraft.health = 503;
    await start(w);
    const o = await offer(w);
    expect(o.run.stepIndex).toBe(4);
    expect(o.text).toMatch(/did not answer 2xx/);
    expect(o.actions).toEqual([
      'autorisen:run:rollback staging',
      `autorisen:wf-retry:${o.run.id}`,
      `autorisen:wf-abandon:${o.run.id}`,
    ]);
    // The failed verification is what the checklist shows for staging, as the release's.
    expect(await w.b.app.store.probeRuns.latest('staging')).toMatchObject({
      trigger: 'release',
      ok: false,
      health: { status: 503 },
      runId: o.run.id,
      actor: o.run.requesterId,
    });
    w.capecraft.health = 200;
    await w.b.driver.click({ actionId: 'autorisen:wf-retry', value: o.run.id, userId: USERS.ben, channelId: CHANNEL });
    await until(async () => (await currentStep(w)) === 6, 'the gate after the retry');
    await approveGate(w.b);
    expect((await releaseIn(() => w.b, ['done', 'faulty'])).state).toBe('done');
    expect(w.heroku.requestsTo('POST', '/apps/autorisen/builds')).toHaveLength(1);
  });

  it('a failed promotion says production still runs what it ran, and offers Retry and Abandon (nothing to roll back)', async () => {
    w = await bootReleaseWorld();
    w.heroku.pipelines.promotionOutcome = 'failed';
    await start(w);
    await approveGate(w.b);
    const o = await offer(w);
    expect(o.run.stepIndex).toBe(8);
    expect(o.text).toMatch(/promotion .* to production failed: Release failed/);
    expect(o.text).toContain('production still runs what it ran');
    expect(o.actions).toEqual([`autorisen:wf-retry:${o.run.id}`, `autorisen:wf-abandon:${o.run.id}`]);
    expect(w.heroku.current('capecraft')!.description).toMatch(/^Deploy /);
  });

  it('without a shared pipeline the plan says so and production builds the same commit', async () => {
    w = await bootReleaseWorld({ pipeline: false });
    const res = await start(w, 'release --dry-run');
    const reply = await w.b.slack.answerTo(res);
    expect(JSON.stringify(reply)).toContain('share no Heroku pipeline');
    await start(w);
    await approveGate(w.b);
    expect((await releaseIn(() => w.b, ['done', 'failed'])).state).toBe('done');
    const [build] = w.heroku.requestsTo('POST', '/apps/capecraft/builds');
    expect((build!.body as { source_blob: { version: string } }).source_blob.version).toBe(w.shas.head);
  });

  it('an alert routed to production during its bake ends the release "faulty" with Roll back and Flag off', async () => {
    w = await bootReleaseWorld();
    let sent = false;
    w.clock.hook = async () => {
      await holdWhileAsked(w);
      if (!sent && (await currentStep(w)) === 10) {
        sent = true;
        const body = JSON.parse(
          readFileSync('test/fixtures/alertmanager/webhook_v4_firing_am0.27.0.faultline.wire.json', 'utf8'),
        ) as { alerts: { labels: Record<string, string> }[] };
        body.alerts[0]!.labels.env = 'production';
        const r = await send(
          w.b.url,
          '/hooks/alertmanager',
          Buffer.from(JSON.stringify(body)),
          headersFor.alertmanager(),
        );
        expect(r.status).toBeLessThan(300);
      }
    };
    await start(w);
    await approveGate(w.b);
    const o = await offer(w);
    expect(o.run).toMatchObject({ state: 'faulty', stepIndex: 10 });
    expect(o.text).toMatch(/alert\(s\) on production during the bake: "checkoutservice error rate above 5%"/);
    expect(o.actions).toEqual([
      'autorisen:run:rollback production',
      expect.stringMatching(/^autorisen:run:flag off production --reason/),
    ]);
  });
});
