import { afterEach, describe, expect, it } from 'vitest';
import { USERS } from '../drivers/boot-app.ts';
import { dynos, exitDyno } from '../fakes/fake-heroku-dynos.ts';
import { buttonsOf, messages, textOf, until } from './deploy-harness.ts';
import {
  approveGate,
  bootReleaseWorld,
  CHANNEL,
  gateMessage,
  releaseIn,
  type ReleaseWorld,
} from './release-harness.ts';
import type { WorkflowRun } from '../../src/ports/stores/workflows.ts';

const TASKS = `
tasks:
  backfill:
    command: python -m scripts.backfill_autorisen
    size: standard-2X
    timeout_seconds: 60
    environments: [staging, production]
  slow-check:
    command: python -m scripts.slow_check
    timeout_seconds: 10
    environments: [staging]
`;

const run = (w: ReleaseWorld, text: string, userId: string = USERS.ana) =>
  w.b.driver.command(text, { userId, channelId: CHANNEL });

/** The latest task run once it is in one of `states`. */
function taskIn(w: ReleaseWorld, states: WorkflowRun['state'][]): Promise<WorkflowRun> {
  return until(
    async () => {
      const [r] = await w.b.app.store.workflows.latest({ workflow: 'task', env: null, limit: 1 });
      return r && states.includes(r.state) ? r : null;
    },
    `a task run in ${states.join('/')}`,
    20_000,
  );
}

const thread = (w: ReleaseWorld, r: WorkflowRun) =>
  messages(w.b)
    .filter((m) => m.threadTs === r.statusTs || m.ts === r.statusTs)
    .map(textOf)
    .join('\n');

/** Issue 11 item 4: `/autorisen run <env> <task>` over HTTP against the fake Heroku's dynos and log sessions. */
describe('/autorisen run', () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.stop();
  });

  it('runs an allow-listed task on a detached dyno, streams its log into the thread and ends done on status 0', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    dynos(w.heroku).script = () => ({ lines: ['Backfilling users...', 'Backfilled 42 rows'], exitStatus: 0 });
    await run(w, 'run staging backfill');
    const r = await taskIn(w, ['done']);
    const [create] = w.heroku.requestsTo('POST', '/apps/autorisen/dynos');
    expect(create!.body).toEqual({
      command: 'python -m scripts.backfill_autorisen',
      attach: false,
      size: 'standard-2X',
      type: 'run',
      time_to_live: 180,
    });
    const [session] = w.heroku.requestsTo('POST', '/apps/autorisen/log-sessions');
    expect(session!.body).toMatchObject({ dyno_name: 'run.7166', tail: true });
    // The run is persisted done first; its last thread line follows.
    const text = await until(() => thread(w, r).includes('finished (run.7166') && thread(w, r), 'the done line');
    expect(text).toContain('app[run.7166]: Backfilled 42 rows');
    expect(text).toContain('heroku[run.7166]: Process exited with status 0');
    expect(text).toContain('backfill on staging finished');
    expect(r.lockToken).toBeNull();
    expect(w.heroku.requestsTo('POST', /actions\/stop$/)).toHaveLength(0);
  });

  it('a task that exits with status 1 stops the run with Retry and Abandon, and names the last output line', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    dynos(w.heroku).script = () => ({ lines: ['Backfilling users...', 'KeyError: tenant_id'], exitStatus: 1 });
    await run(w, 'run staging backfill');
    const r = await taskIn(w, ['failed']);
    expect(r.error).toContain('backfill on staging exited with status 1 (last line: KeyError: tenant_id)');
    const offer = await until(
      () => messages(w.b).find((m) => m.threadTs === r.statusTs && buttonsOf(m).length > 0),
      'the offer',
    );
    expect(buttonsOf(offer).map((b) => b.action_id)).toEqual(['autorisen:wf-retry', 'autorisen:wf-abandon']);
    expect(thread(w, r)).toContain('app[run.7166]: KeyError: tenant_id');
  });

  it('stops the dyno when the task outlives its timeout, and the run fails as timed out', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    dynos(w.heroku).script = () => ({ lines: ['checking...'], exitStatus: null });
    await run(w, 'run stage slow-check');
    const r = await taskIn(w, ['failed']);
    expect(r.error).toContain('slow-check on staging did not finish within 10s; the bot stopped run.7166.');
    expect(w.heroku.requestsTo('POST', '/apps/autorisen/dynos/run.7166/actions/stop')).toHaveLength(1);
    expect(dynos(w.heroku).dynos[0]!.state).toBe('down');
  });

  it('refuses a task not in the config, and one on an environment it does not list, starting nothing', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    const a = await run(w, 'run staging rm-rf');
    const [ra] = await w.b.slack.waitForResponses(1, a.responseId);
    expect(JSON.stringify(ra!.body)).toContain('\\"rm-rf\\" is not an allowed task. Allowed: backfill, slow-check');
    const b = await run(w, 'run production slow-check');
    const [rb] = await w.b.slack.waitForResponses(1, b.responseId);
    expect(JSON.stringify(rb!.body)).toContain('Task slow-check may not run on production; it may run on staging');
    expect(w.heroku.requestsTo('POST', /dynos$/)).toHaveLength(0);
    expect(await w.b.app.store.workflows.latest({ workflow: 'task', env: null, limit: 1 })).toEqual([]);
  });

  it('shows the task on --dry-run and starts nothing', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    const res = await run(w, 'run staging backfill --dry-run');
    const reply = await w.b.slack.answerTo(res);
    expect(JSON.stringify(reply)).toContain('python -m scripts.backfill_autorisen');
    expect(w.heroku.requestsTo('POST', /dynos$/)).toHaveLength(0);
  });

  it('needs a second operator on production; the dyno starts only after the approval', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    await run(w, 'run production backfill');
    const approval = await until(
      () => messages(w.b).find((m) => buttonsOf(m).some((x) => x.action_id === 'autorisen:approve')),
      'the approval',
    );
    expect(w.heroku.requestsTo('POST', /dynos$/)).toHaveLength(0);
    const id = buttonsOf(approval).find((x) => x.action_id === 'autorisen:approve')!.value;
    await w.b.driver.click({
      actionId: 'autorisen:approve',
      value: id,
      userId: USERS.ben,
      channelId: CHANNEL,
      messageTs: approval.ts,
    });
    await taskIn(w, ['done']);
    expect(w.heroku.requestsTo('POST', '/apps/capecraft/dynos')).toHaveLength(1);
  });

  it('a release runs release.tasks on staging after its verification, before the production gate', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS, releaseTasks: ['backfill'] });
    const dry = await run(w, 'release --dry-run');
    const reply = await w.b.slack.answerTo(dry);
    expect(JSON.stringify(reply)).toMatch(/6\. Run task backfill on staging/);
    await run(w, 'release');
    await gateMessage(w.b);
    // Before anyone approves production, the backfill ran on staging, and only there.
    expect(w.heroku.requestsTo('POST', '/apps/autorisen/dynos')).toHaveLength(1);
    expect(w.heroku.requestsTo('POST', '/apps/capecraft/dynos')).toHaveLength(0);
    await approveGate(w.b, USERS.ben);
    const r = await releaseIn(() => w.b, ['done', 'failed', 'faulty']);
    expect(r, `${r.error} at ${r.stepIndex}`).toMatchObject({ state: 'done' });
    expect(r.data['task-backfill-staging']).toEqual({ dyno: 'run.7166', status: 0 });
  });

  it('a release stops at a failed staging task with Retry, and production is never asked for', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS, releaseTasks: ['backfill'] });
    dynos(w.heroku).script = () => ({ lines: ['IntegrityError'], exitStatus: 2 });
    await run(w, 'release');
    const r = await releaseIn(() => w.b, ['failed']);
    expect(r.error).toContain('backfill on staging exited with status 2');
    expect(messages(w.b).some((m) => buttonsOf(m).some((x) => x.action_id === 'autorisen:approve'))).toBe(false);
  });

  it('after a restart, follows the same dyno (its log re-opened) instead of starting another', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    dynos(w.heroku).script = () => ({ lines: ['Backfilling users...'], exitStatus: null });
    await run(w, 'run staging backfill');
    await until(() => w.heroku.requestsTo('POST', '/apps/autorisen/log-sessions').length === 1, 'the log session');
    await w.restart();
    await until(() => w.heroku.requestsTo('POST', '/apps/autorisen/log-sessions').length === 2, 'the log re-opened');
    exitDyno(w.heroku, 'run.7166', 0);
    const r = await taskIn(w, ['done']);
    expect(r.data['task-backfill-staging']).toEqual({ dyno: 'run.7166', status: 0 });
    expect(w.heroku.requestsTo('POST', '/apps/autorisen/dynos')).toHaveLength(1);
  });

  it('says how to stop the dyno by hand when Heroku refuses the stop after a timeout', async () => {
    w = await bootReleaseWorld({ extraYaml: TASKS });
    dynos(w.heroku).script = () => ({ lines: ['checking...'], exitStatus: null });
    w.heroku.fail({ method: 'POST', path: /actions\/stop$/, status: 503 });
    await run(w, 'run staging slow-check');
    const r = await taskIn(w, ['failed']);
    expect(r.error).toContain('stopping run.7166 failed: stop it with `heroku ps:stop run.7166 -a autorisen`');
  });
});
